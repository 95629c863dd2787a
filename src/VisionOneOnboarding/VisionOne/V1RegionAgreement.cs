using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>
    /// One Vision One region and business id from every place that names them — what the user gave (-V1Region, the API
    /// host, the session default; -BusinessId), the issuer the API or the template names, and the template's own
    /// VisionOneRegion / VisionOneAccountID defaults. They must agree: a role whose trust says one region or tenant while
    /// its provider is another's can never be assumed. Any disagreement stops the run before its first change.
    /// </summary>
    public static class V1RegionAgreement
    {
        public const string RegionParameter = "VisionOneRegion";
        public const string BusinessIdParameter = "VisionOneAccountID";

        /// <summary>The region every source agrees on.</summary>
        /// <remarks>userRegion: The region the user named, or null.</remarks>
        /// <remarks>issuer: The issuer URL the API or the template names, or null.</remarks>
        /// <remarks>templateParameters: The template's parameter defaults, or null without a template.</remarks>
        /// <exception cref="VisionOneException">VisionOne.RegionMismatch, or VisionOne.RegionUnknown when nothing names one.</exception>
        public static V1Region Decide(string? userRegion, string userRegionSource, string? issuer, string issuerSource,
            IReadOnlyDictionary<string, string?>? templateParameters, string templateSource)
        {
            var claims = new List<(V1Region Region, string Source)>();
            if (!string.IsNullOrWhiteSpace(userRegion)) claims.Add((V1Regions.Get(userRegion), userRegionSource));
            if (issuer != null && V1Regions.TryGetByIssuer(issuer, out var issuerRegion)) claims.Add((issuerRegion, "the issuer " + issuer + " (" + issuerSource + ")"));
            var templateRegion = Default(templateParameters, RegionParameter);
            if (templateRegion != null)
            {
                if (!V1Regions.TryGet(templateRegion, out var parameterRegion))
                    throw Mismatch(ErrorCatalogue.RegionMismatch, "The template " + templateSource + " sets " + RegionParameter + " to '" + templateRegion +
                        "', which is no Vision One region (" + string.Join(", ", V1Regions.Codes) + "). Download the template again from your Vision One console.");
                claims.Add((parameterRegion, "the template's " + RegionParameter + " (" + templateSource + ")"));
            }

            if (claims.Select(c => c.Region.Code).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                throw Mismatch(ErrorCatalogue.RegionMismatch,
                    "The Vision One region is named differently: " + string.Join("; ", claims.Select(c => "'" + c.Region.Code + "' by " + c.Source)) +
                    ". A role trusting one region's issuer with another region's subject never connects. Use the API host, -V1Region and " +
                    "template of your tenant's region (Vision One console: Administration > Console Settings shows it).");
            }
            if (claims.Count == 0)
            {
                throw Mismatch(ErrorCatalogue.RegionUnknown,
                    "The Vision One region is not known: nothing named it" + (issuer == null ? "" : " (the issuer " + issuer + " is in no region table)") +
                    ". Pass -V1Region (" + string.Join(", ", V1Regions.Codes) + ") or set one with Set-V1Credential -V1Region.");
            }
            return claims[0].Region;
        }

        /// <summary>The business id, checked against the template's VisionOneAccountID default where it has one.</summary>
        /// <exception cref="VisionOneException">VisionOne.BusinessIdMismatch.</exception>
        /// <returns><paramref name="businessId"/>, once it agrees with the template's tenant.</returns>
        public static string CheckBusinessId(string businessId, IReadOnlyDictionary<string, string?>? templateParameters, string templateSource)
        {
            var templateId = Default(templateParameters, BusinessIdParameter);
            if (templateId != null && !string.Equals(templateId, businessId, StringComparison.Ordinal))
            {
                throw Mismatch(ErrorCatalogue.BusinessIdMismatch,
                    "The business id is '" + businessId + "' (from -BusinessId), but the template " + templateSource + " was made for '" + templateId +
                    "' (its " + BusinessIdParameter + "). The role would trust another tenant and never connect. Pass the business id the template names, " +
                    "or download the template of your own tenant.");
            }
            return businessId;
        }

        /// <summary>
        /// Without -BusinessId: the business id the template names (its <c>VisionOneAccountID</c>, which Vision One fills
        /// in for the tenant that made it), said in -Verbose; <paramref name="templateSource"/> null: no template was read.
        /// </summary>
        /// <exception cref="VisionOneException">VisionOne.BusinessIdRequired: neither -BusinessId nor the template names it.</exception>
        public static string BusinessIdOfTemplate(IReadOnlyDictionary<string, string?>? templateParameters, string? templateSource, ILogSink log)
        {
            var templateId = Default(templateParameters, BusinessIdParameter);
            if (templateId == null)
            {
                throw new VisionOneException(ErrorCatalogue.BusinessIdRequired,
                    "-BusinessId is needed: " + (templateSource == null ? "no template was read" : "the template " + templateSource + " does not name it (" + BusinessIdParameter + ")") +
                    ", and the role's trust policy names your Vision One business id. Pass -BusinessId (the business ID of your Vision One account), or a template Vision One made for your tenant.");
            }
            var businessId = InputRules.BusinessId(templateId);
            log.Verbose("Business id " + businessId + ": named by the template " + templateSource + " (" + BusinessIdParameter + "), as -BusinessId was not given.");
            return businessId;
        }

        private static string? Default(IReadOnlyDictionary<string, string?>? parameters, string name) =>
            parameters != null && parameters.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value!.Trim() : null;

        private static VisionOneException Mismatch(ErrorEntry error, string message) =>
            new VisionOneException(error, message);
    }
}
