using System;

namespace VisionOneOnboarding.Net
{
    /// <summary>
    /// Every bounded wait's budget, named, with the fact it comes from. The facts are in the project's reference notes
    /// (aws-iam-facts.md "Eventual consistency", vision-one-cam-api.md "Errors and limits"); change a figure here only
    /// with the fact that moved it.
    /// </summary>
    public static class WaitBudgets
    {
        /// <summary>
        /// A read, attachment or delete that meets IAM's read-after-write lag right after this run created or detached
        /// the object (NoSuchEntity, DeleteConflict), or ConcurrentModification.
        /// </summary>
        public static readonly WaitBudget IamEventualConsistency = new WaitBudget(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2),
            "aws-iam-facts.md, Eventual consistency: IAM changes propagate asynchronously; a new role can be unusable for 10-30 s, sometimes a minute");

        /// <summary>A trust policy naming an OIDC provider created seconds ago: MalformedPolicyDocument "Invalid principal in policy".</summary>
        public static readonly WaitBudget InvalidPrincipal = new WaitBudget(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5),
            "aws-iam-facts.md, Eventual consistency: Terraform's AWS provider retries CreateRole / UpdateAssumeRolePolicy on \"Invalid principal in policy\" for up to 2 minutes");

        /// <summary>A Cloud Accounts entry the service just accepted (or called a duplicate) that it does not list yet.</summary>
        public static readonly WaitBudget CloudAccountReadAfterWrite = new WaitBudget(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2),
            "vision-one-cam-api.md: the add's answer code is not documented, so a just-added entry is read back; its listing lag is not documented, 10 s is a guess that has held");

        /// <summary>
        /// The Cloud Accounts add (or the PATCH re-pointing an entry) answered with a 4xx while the role this run created,
        /// or whose trust it changed, cannot be assumed by Vision One yet (Invoke -AssumeRoleTimeoutSeconds, default 90).
        /// </summary>
        public static readonly WaitBudget VisionOneAssumesRole = new WaitBudget(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20),
            "vision-one-cam-api.md: Vision One checks the role when an account is added; Trend's provider retries the add after 5, 10 and 20 s; aws-iam-facts.md: a new role can be unassumable for 10-30 s, sometimes a minute");

        /// <summary>A connected entry Vision One does not report managed yet (Connect/Invoke -VerifyTimeoutSeconds, default 60).</summary>
        public static readonly WaitBudget CloudAccountManaged = new WaitBudget(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10),
            "aws-iam-facts.md, Eventual consistency: a new role can be unassumable for 10-30 s, sometimes a minute");
    }
}
