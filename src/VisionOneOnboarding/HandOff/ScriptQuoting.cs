// The one place a value becomes text inside another language the hand-offs write: a PowerShell single-quoted string,
// a bash single-quoted word, an HCL string, a Markdown code span or fence. A value from -Name, a CSV column or an
// Organizations account name (which the member account's owner can change) is data and must stay one literal.
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace VisionOneOnboarding.HandOff;

/// <summary>Quotes a value as one literal of PowerShell, bash, HCL or Markdown.</summary>
public static class ScriptQuoting
{
    // PowerShell's tokenizer ends a single-quoted string at any of these (SpecialChars.IsSingleQuote): the ASCII quote
    // and the typographic U+2018, U+2019, U+201A, U+201B. Inside the string, any of them written twice is one of it.
    private static readonly char[] PowerShellSingleQuotes = { '\'', '\u2018', '\u2019', '\u201A', '\u201B' };

    /// <summary>A PowerShell single-quoted string: every one of the five quote characters is doubled, nothing else is special.</summary>
    public static string PowerShell(string value)
    {
        var s = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (PowerShellSingleQuotes.Contains(c)) s.Append(c);
            s.Append(c);
        }
        return s.Append('\'').ToString();
    }

    /// <summary>A bash single-quoted word: nothing is special inside '…' except the quote itself, written as '\''.</summary>
    public static string Bash(string value) => "'" + value.Replace("'", "'\\''") + "'";

    /// <summary>An HCL quoted string: backslash, quote and the control characters escaped, and the template sequences ${ and %{ doubled.</summary>
    public static string Hcl(string value)
    {
        var s = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': s.Append("\\\\"); break;
                case '"': s.Append("\\\""); break;
                case '\n': s.Append("\\n"); break;
                case '\r': s.Append("\\r"); break;
                case '\t': s.Append("\\t"); break;
                case '$' or '%' when i + 1 < value.Length && value[i + 1] == '{': s.Append(c).Append(c); break;
                default:
                    if (char.IsControl(c)) s.Append("\\u").Append(((int)c).ToString("X4"));
                    else s.Append(c);
                    break;
            }
        }
        return s.Append('"').ToString();
    }

    /// <summary>An HCL heredoc body line: only the template sequences ${ and %{ are doubled (a heredoc has no other escapes).</summary>
    public static string HclHeredocText(string value) => value.Replace("${", "$${").Replace("%{", "%%{");

    /// <summary>
    /// A Markdown (CommonMark) code span: delimited by a backtick run longer than any inside it, padded with one space on
    /// each side when the value starts or ends with a backtick or a space (CommonMark strips exactly that padding).
    /// </summary>
    public static string MarkdownCode(string value)
    {
        var fence = new string('`', LongestBacktickRun(value) + 1);
        var pad = value.Length > 0 && (value[0] == '`' || value[value.Length - 1] == '`' || value[0] == ' ' || value[value.Length - 1] == ' ') ? " " : "";
        return fence + pad + value + pad + fence;
    }

    /// <summary>A fenced code block whose fence (at least three backticks) is longer than any backtick run inside it.</summary>
    public static string MarkdownFence(string content, string info)
    {
        var fence = new string('`', System.Math.Max(3, LongestBacktickRun(content) + 1));
        return fence + info + "\n" + content + "\n" + fence + "\n";
    }

    private static int LongestBacktickRun(string value) =>
        Regex.Matches(value, "`+").Cast<Match>().Select(m => m.Length).DefaultIfEmpty(0).Max();
}
