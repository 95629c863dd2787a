using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator.Aws
{
    /// <summary>Writes AWS Query responses: <c>&lt;OpResponse&gt;&lt;OpResult&gt;</c>, <c>&lt;member&gt;</c> lists, ErrorResponse.</summary>
    public static class QueryXml
    {
        public const string IamVersion = "2010-05-08";
        public const string StsVersion = "2011-06-15";

        public static XNamespace Namespace(string service) => service == "sts"
            ? "https://sts.amazonaws.com/doc/" + StsVersion + "/"
            : "https://iam.amazonaws.com/doc/" + IamVersion + "/";

        /// <param name="result">The children of OpResult; null for actions that answer with ResponseMetadata only.</param>
        public static string Success(string service, string action, IEnumerable<XElement?>? result, string requestId)
        {
            var root = new XElement(action + "Response",
                result == null ? null : new XElement(action + "Result", result),
                new XElement("ResponseMetadata", new XElement("RequestId", requestId)));
            return Serialize(root, service);
        }

        public static string Error(string service, AwsQueryException error, string requestId)
        {
            var root = new XElement("ErrorResponse",
                new XElement("Error",
                    new XElement("Type", error.Status >= 500 ? "Receiver" : "Sender"),
                    new XElement("Code", error.Code),
                    new XElement("Message", error.Message)),
                new XElement("RequestId", requestId));
            return Serialize(root, service);
        }

        public static XElement Text(string name, string value) => new XElement(name, value);

        /// <summary>Null (left out by XElement) when the value is absent, as AWS omits unset fields.</summary>
        public static XElement? Optional(string name, string? value) => value == null ? null : new XElement(name, value);

        public static XElement Bool(string name, bool value) => new XElement(name, value ? "true" : "false");

        public static XElement Number(string name, int value) => new XElement(name, value.ToString(CultureInfo.InvariantCulture));

        public static XElement Date(string name, DateTime value) =>
            new XElement(name, value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

        /// <summary>A list: each item's content (a string or a set of elements) wrapped in <c>&lt;member&gt;</c>.</summary>
        public static XElement Members(string name, IEnumerable<object> items) =>
            new XElement(name, items.Select(item => new XElement("member", item)));

        public static XElement Tags(IEnumerable<IamTag> tags) =>
            Members("Tags", tags.Select(t => new[] { Text("Key", t.Key), Text("Value", t.Value) }));

        /// <summary>IAM returns policy documents URL-encoded (RFC 3986).</summary>
        public static XElement Document(string name, string document) => new XElement(name, Uri.EscapeDataString(document));

        private static string Serialize(XElement root, string service)
        {
            var ns = Namespace(service);
            foreach (var element in root.DescendantsAndSelf())
            {
                element.Name = ns + element.Name.LocalName;
            }
            return root.ToString(SaveOptions.DisableFormatting);
        }
    }
}
