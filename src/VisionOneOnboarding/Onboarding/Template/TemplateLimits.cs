using System.Collections.Generic;
using System.Globalization;
using System.IO;
using VisionOneOnboarding.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// The bounds a template must keep before it is read at all, so that no template — hostile or broken — can
    /// exhaust the stack, the memory or the patience of the host: a size cap for files and downloads, a nesting
    /// depth, and a budget of nodes counted after YAML aliases are expanded (an alias to a node that is still
    /// open, i.e. to itself or an ancestor, is refused outright).
    /// </summary>
    public static class TemplateLimits
    {
        /// <summary>5 MB: CloudFormation's own cap for a template in S3 is 1 MB; the Vision One template is about 30 KB.</summary>
        public const long MaxBytes = 5L * 1024 * 1024;

        /// <summary>Mappings and sequences nested deeper than this are refused (the Vision One template nests about 12 deep).</summary>
        public const int MaxDepth = 64;

        /// <summary>Nodes after alias expansion (the Vision One template has a few thousand).</summary>
        public const int MaxNodes = 100_000;

        /// <summary>What the size cap reads as in messages.</summary>
        public static string MaxSizeText => (MaxBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MB";

        internal static TemplateException TooLarge(string what) =>
            new TemplateException(ErrorCatalogue.TemplateMalformed,
                what + " is larger than " + MaxSizeText + ", which no Vision One template comes near; give the template Vision One hands out.");

        /// <summary>
        /// Walks the YAML event stream once (the parser is not recursive) and fails on the first bound broken, so the
        /// tree builder and the converter only ever see a template of bounded depth and bounded expanded size.
        /// </summary>
        internal static void CheckYaml(string text)
        {
            var parser = new Parser(new StringReader(text));
            var open = new Stack<Frame>();
            var anchors = new Dictionary<string, Frame>();
            long total = 0;
            while (parser.MoveNext())
            {
                var current = parser.Current;
                switch (current)
                {
                    case AnchorAlias alias:
                        foreach (var frame in open)
                        {
                            if (frame.Anchor == alias.Value.Value) throw Refused(current, "the alias *" + alias.Value.Value + " refers to a node that contains it (a recursive YAML alias)");
                        }
                        if (anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            total = Add(total, target.Size, current);
                            CheckDepth(open.Count + target.Height, current);
                            if (open.Count > 0) open.Peek().Include(target);
                        }
                        break;
                    case Scalar scalar:
                        total = Add(total, 1, current);
                        var leaf = new Frame(AnchorOf(scalar)) { Size = 1, Height = 0 };
                        if (leaf.Anchor != null) anchors[leaf.Anchor] = leaf;
                        if (open.Count > 0) open.Peek().Include(leaf);
                        break;
                    case SequenceStart _:
                    case MappingStart _:
                        total = Add(total, 1, current);
                        open.Push(new Frame(AnchorOf((NodeEvent)current)) { Size = 1, Height = 1 });
                        CheckDepth(open.Count, current);
                        break;
                    case SequenceEnd _:
                    case MappingEnd _:
                        var closed = open.Pop();
                        if (closed.Anchor != null) anchors[closed.Anchor] = closed;
                        if (open.Count > 0) open.Peek().Include(closed);
                        break;
                    case DocumentEnd _:
                        // Only the first document is read; what follows it is not looked at.
                        return;
                }
            }
        }

        private static string? AnchorOf(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;

        private static long Add(long total, long nodes, ParsingEvent where)
        {
            total += nodes;
            if (total > MaxNodes) throw Refused(where, "it expands to more than " + MaxNodes.ToString("N0", CultureInfo.InvariantCulture) + " nodes (YAML aliases multiply what they repeat)");
            return total;
        }

        private static void CheckDepth(int depth, ParsingEvent where)
        {
            if (depth > MaxDepth) throw Refused(where, "it nests mappings and sequences more than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " deep");
        }

        private static TemplateException Refused(ParsingEvent where, string why)
        {
            int line = (int)where.Start.Line;
            int column = (int)where.Start.Column;
            return new TemplateException(ErrorCatalogue.TemplateMalformed,
                string.Format(CultureInfo.InvariantCulture, "The template is refused at line {0}, column {1}: {2}. Give the template Vision One hands out.", line, column, why),
                line: line, column: column);
        }

        /// <summary>One node: how many nodes it stands for once aliases are expanded, and how deep it nests.</summary>
        private sealed class Frame
        {
            public Frame(string? anchor) { Anchor = anchor; }
            public string? Anchor { get; }
            public long Size { get; set; }
            public int Height { get; set; }

            public void Include(Frame child)
            {
                Size += child.Size;
                if (child.Height + 1 > Height) Height = child.Height + 1;
            }
        }
    }
}
