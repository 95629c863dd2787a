using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace VisionOneOnboarding.Emulator.VisionOne
{
    /// <summary>A connected AWS account as the emulated Cloud Accounts keeps it.</summary>
    public sealed class CamAccount
    {
        /// <summary>The tenant (Vision One business id) the account belongs to.</summary>
        public string BusinessId { get; set; } = "";
        /// <summary>The AWS account id, taken from the role ARN.</summary>
        public string Id { get; set; } = "";
        public string RoleArn { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        /// <summary>"managed" when the role checks out, "failed" otherwise.</summary>
        public string State { get; set; } = "";
        /// <summary>What the role check found missing; empty when managed.</summary>
        public List<string> MissingPieces { get; set; } = new List<string>();
        /// <summary>
        /// The state Vision One's last background sync reported (e.g. "outdated"), set through the control endpoint; it
        /// stands while the role checks out, until the entry is added or updated again. Null: the role check decides.
        /// </summary>
        public string? ReportedState { get; set; }
        public DateTimeOffset Created { get; set; }
        public DateTimeOffset Updated { get; set; }
        public DateTimeOffset LastSynced { get; set; }
        public JsonArray Features { get; set; } = new JsonArray();
        public JsonArray ConnectedSecurityServices { get; set; } = new JsonArray();
        public JsonArray CustomTags { get; set; } = new JsonArray();
        /// <summary>Quoted, as sent in the ETag header; changes on every change of the account.</summary>
        public string ETag { get; set; } = "";

        public CamAccount Clone()
        {
            var copy = (CamAccount)MemberwiseClone();
            copy.MissingPieces = MissingPieces.ToList();
            copy.Features = (JsonArray)Features.DeepClone();
            copy.ConnectedSecurityServices = (JsonArray)ConnectedSecurityServices.DeepClone();
            copy.CustomTags = (JsonArray)CustomTags.DeepClone();
            return copy;
        }

        /// <summary>The API's representation (CloudAccountDetailAWSResponse), plus missingPieces.</summary>
        public JsonObject ToJson()
        {
            var json = new JsonObject
            {
                ["id"] = Id,
                ["roleArn"] = RoleArn,
                ["name"] = Name,
            };
            if (Description != null) json["description"] = Description;
            json["state"] = State;
            json["missingPieces"] = new JsonArray(MissingPieces.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
            json["createdDateTime"] = Format(Created);
            json["updatedDateTime"] = Format(Updated);
            json["lastSyncedDateTime"] = Format(LastSynced);
            json["features"] = Features.DeepClone();
            json["connectedSecurityServices"] = ConnectedSecurityServices.DeepClone();
            json["customTags"] = CustomTags.DeepClone();
            json["sources"] = new JsonArray("api");
            return json;
        }

        private static string Format(DateTimeOffset time) =>
            time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
