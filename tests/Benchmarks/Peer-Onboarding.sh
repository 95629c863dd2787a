#!/usr/bin/env bash
# The peer of benchmark item 5: the same single-account onboarding as an admin's script of AWS CLI calls (and curl for
# Vision One, which the AWS CLI does not speak), one call after another, against the emulator.
#   Peer-Onboarding.sh <emulator-url> <policy-dir>
# The policies are the published documents (the CLI cannot resolve a CloudFormation template's intrinsics); the template
# is still fetched, as the procedure does. Credentials come from the environment (AWS_ACCESS_KEY_ID, ...; VISIONONE_API_KEY).
set -euo pipefail
url="$1"; policies="$2"
aws() { command aws --endpoint-url "$url" --output text "$@"; }
v1() { curl -sf -H "Authorization: Bearer $VISIONONE_API_KEY" -H 'Content-Type: application/json' "$@"; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

account="$(aws sts get-caller-identity --query Account)"
# The link is pre-signed (its query carries the signature, JSON-escaped & included): fetched as is, without the API key.
template_url="$(v1 -X POST "$url/v3.0/cam/awsAccounts/generateCfnTemplateLinks" -d '{"awsRegion":"us-east-1"}' | sed -n 's/.*"templateUrl" *: *"\([^"]*\)".*/\1/p' | sed 's/\\u0026/\&/g')"
curl -sf "$template_url" > "$work/template"
host='cloudaccounts-us.xdr.trendmicro.com'
provider="$(aws iam create-open-id-connect-provider --url "https://$host" --client-id-list "arn:aws:iam::$account:root" \
  --thumbprint-list 9e99a48a9960b14926bb7f3b02e22da2b0ab7280 9565AD13689C2C4B4F018BE31767084D197F2692 8CF427FD790C3AD166068DE81E57EFBB932272D4 F21C12F46CDB6B2E16F09F9419CDFF328437B2D7 --query OpenIDConnectProviderArn)"
for part in 1 2 3; do
  aws iam create-policy --policy-name "VisionOnePolicyPart$part" --policy-document "file://$policies/VisionOnePolicyPart$part.json" --query Policy.Arn > /dev/null
done
cat > "$work/trust.json" <<JSON
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"$provider"},"Action":["sts:AssumeRoleWithWebIdentity","sts:SetSourceIdentity"],
 "Condition":{"StringEquals":{"$host:aud":"arn:aws:iam::$account:root","$host:sub":"urn:visionone:identity:us:1234567890:account/1234567890"}}}]}
JSON
aws iam create-role --role-name VisionOneRole --assume-role-policy-document "file://$work/trust.json" \
  --tags Key=VisionOneCloudFormationStackName,Value=Vision-One-Cloud-Account-Management Key=VisionOneCloudFormationStackRegion,Value=us-east-1 Key=VisionOneFeatures,Value=Base > /dev/null
for part in 1 2 3; do
  aws iam attach-role-policy --role-name VisionOneRole --policy-arn "arn:aws:iam::$account:policy/VisionOnePolicyPart$part"
done
v1 -X POST "$url/v3.0/cam/awsAccounts" -d "{\"roleArn\":\"arn:aws:iam::$account:role/VisionOneRole\",\"name\":\"Peer\",\"features\":[]}" > /dev/null
v1 "$url/v3.0/cam/awsAccounts/$account" | grep -q '"state" *: *"managed"'
