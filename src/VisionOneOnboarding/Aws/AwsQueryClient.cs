using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Aws
{
    /// <summary>Which service a <see cref="AwsQueryClient"/> talks to and how it signs.</summary>
    public sealed class AwsQueryService
    {
        public AwsQueryService(string displayName, string signingName, string apiVersion, Uri endpoint, string signingRegion)
        {
            DisplayName = displayName; SigningName = signingName; ApiVersion = apiVersion; Endpoint = endpoint; SigningRegion = signingRegion;
        }
        /// <summary>"IAM", "STS" or "Organizations", as narrated and as put in <see cref="AwsServiceException.Service"/>.</summary>
        public string DisplayName { get; }
        /// <summary>The SigV4 service name: iam, sts, organizations.</summary>
        public string SigningName { get; }
        public string ApiVersion { get; }
        public Uri Endpoint { get; }
        public string SigningRegion { get; }

        public static AwsQueryService Iam(Uri endpoint, string signingRegion) => new AwsQueryService("IAM", "iam", "2010-05-08", endpoint, signingRegion);
        public static AwsQueryService Sts(Uri endpoint, string signingRegion) => new AwsQueryService("STS", "sts", "2011-06-15", endpoint, signingRegion);
        /// <summary>Organizations speaks JSON 1.1; its version is in the X-Amz-Target prefix instead.</summary>
        public static AwsQueryService Organizations(Uri endpoint, string signingRegion) => new AwsQueryService("Organizations", "organizations", "2016-11-28", endpoint, signingRegion);
    }

    /// <summary>
    /// The AWS Query protocol over <see cref="AwsSignedSender"/>: form-encodes the call, and turns the XML answer
    /// into a result element or an <see cref="AwsServiceException"/>.
    /// </summary>
    public sealed class AwsQueryClient
    {
        private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

        private readonly AwsSignedSender _sender;

        /// <summary>The arguments are those of <see cref="AwsSignedSender"/>.</summary>
        public AwsQueryClient(AwsQueryService service, AwsCredentialSet credentials, ILogSink log, RetryPolicy? retry = null,
            HttpClient? httpClient = null, TimeSpan? attemptTimeout = null, Func<DateTime>? clock = null)
        {
            _sender = new AwsSignedSender(service, credentials, log, retry, httpClient, attemptTimeout, clock);
        }

        public AwsQueryService Service => _sender.Service;
        public TimeSpan AttemptTimeout => _sender.AttemptTimeout;

        /// <inheritdoc cref="AwsSignedSender.CreateHttpClient"/>
        public static HttpClient CreateHttpClient(HttpMessageHandler handler) => AwsSignedSender.CreateHttpClient(handler);

        /// <inheritdoc cref="AwsSignedSender.IsRetryable"/>
        public static bool IsRetryable(AwsServiceException ex) => AwsSignedSender.IsRetryable(ex);

        /// <summary>Sends the call and returns its &lt;ActionResult&gt; element (an empty one for actions that answer nothing).</summary>
        public Task<XElement> SendAsync(AwsQueryRequest request, CancellationToken cancellationToken)
        {
            var body = Encoding.UTF8.GetBytes(request.ToFormBody(Service.ApiVersion));
            var call = new AwsWireCall(request.Action, body, FormContentType, request.Narrate(), answer => ParseError(request.Action, answer));
            return _sender.SendAsync(call, answer => ParseResult(request.Action, answer), cancellationToken);
        }

        private XElement ParseResult(string action, AwsWireAnswer answer)
        {
            try
            {
                var root = XElement.Parse(answer.Body);
                return AwsXml.Child(root, action + "Result") ?? new XElement(action + "Result");
            }
            catch (XmlException ex)
            {
                throw new AwsServiceException(Service.DisplayName, action, "MalformedResponse",
                    Service.DisplayName + " " + action + " answered HTTP " + answer.Status + " with a body that is not XML.", answer.Status, answer.RequestId, ex);
            }
        }

        private AwsServiceException ParseError(string action, AwsWireAnswer answer)
        {
            XElement? root = null;
            try { root = XElement.Parse(answer.Body); } catch (XmlException) { }

            var error = root?.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == "Error");
            var code = AwsXml.Text(error, "Code");
            var message = AwsXml.Text(error, "Message");
            var requestId = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value ?? answer.RequestId;

            if (string.IsNullOrEmpty(code))
            {
                // Not an AWS error document (a proxy or load balancer answered): name the HTTP status instead.
                code = ((HttpStatusCode)answer.Status).ToString();
                message = Service.DisplayName + " " + action + " failed with HTTP " + answer.Status + " " + answer.ReasonPhrase + ".";
            }
            return new AwsServiceException(Service.DisplayName, action, code!,
                string.IsNullOrEmpty(message) ? code! : message!, answer.Status, requestId);
        }
    }
}
