using System;
using System.Collections.Generic;
using System.Linq;

namespace VisionOneOnboarding.Tests.Onboarding
{
    /// <summary>
    /// Order assertions for calls the engine makes side by side: those arrive in any order, so they are compared as a
    /// multiset, and the order the dependency graph imposes is asserted on its own.
    /// </summary>
    internal static class CallOrder
    {
        public static void AssertSameCalls(IEnumerable<string> expected, IEnumerable<string> actual) =>
            Assert.Equal(expected.OrderBy(a => a, StringComparer.Ordinal), actual.OrderBy(a => a, StringComparer.Ordinal));

        /// <summary>The calls are the groups one after another, each group in any order.</summary>
        public static void AssertGroups(IReadOnlyList<string> actual, params string[][] groups)
        {
            Assert.Equal(groups.Sum(g => g.Length), actual.Count);
            int at = 0;
            foreach (var group in groups)
            {
                AssertSameCalls(group, actual.Skip(at).Take(group.Length));
                at += group.Length;
            }
        }

        /// <summary>Every <paramref name="first"/> call comes before the first (or, with <paramref name="lastOf"/>, the last) <paramref name="then"/> call.</summary>
        public static void AssertBefore(IReadOnlyList<string> actual, string first, string then, bool lastOf = false)
        {
            var lastFirst = actual.ToList().LastIndexOf(first);
            var then_ = lastOf ? actual.ToList().LastIndexOf(then) : actual.ToList().IndexOf(then);
            Assert.True(lastFirst >= 0 && then_ >= 0 && lastFirst < then_, first + " should come before " + then + ": " + string.Join(", ", actual));
        }
    }
}
