using System;
using System.Collections.Generic;
using System.Text;

namespace VisionOneOnboarding.Emulator.VisionOne
{
    /// <summary>
    /// The TMV1-Filter subset the module uses: <c>name eq 'x'</c>, <c>id eq 'x'</c>, <c>state eq 'managed'</c>,
    /// <c>contains(name,'x')</c>, combined with and / or / not and parentheses ('' escapes a quote).
    /// Anything else is a 400 InvalidFilter, as a strict service would answer.
    /// Grammar: or := and ('or' and)* ; and := unary ('and' unary)* ; unary := 'not' unary | primary ;
    /// primary := '(' or ')' | 'contains' '(' field ',' string ')' | field 'eq' string.
    /// </summary>
    public static class CamFilter
    {
        public const int MaxLength = 254;

        public static Func<CamAccount, bool> Parse(string? filter)
        {
            if (string.IsNullOrWhiteSpace(filter)) return _ => true;
            if (filter.Length > MaxLength) throw Invalid("the filter is " + filter.Length + " characters; at most " + MaxLength + " are accepted");
            var parser = new Parser(Tokenize(filter));
            var predicate = parser.ParseOr();
            parser.ExpectEnd();
            return predicate;
        }

        private enum Kind { Word, Text, Open, Close, Comma }

        private readonly struct Token
        {
            public Token(Kind kind, string value, int position) { Kind = kind; Value = value; Position = position; }
            public Kind Kind { get; }
            public string Value { get; }
            public int Position { get; }
            public bool IsWord(string word) => Kind == Kind.Word && string.Equals(Value, word, StringComparison.OrdinalIgnoreCase);
        }

        private static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (c == '(') { tokens.Add(new Token(Kind.Open, "(", i++)); continue; }
                if (c == ')') { tokens.Add(new Token(Kind.Close, ")", i++)); continue; }
                if (c == ',') { tokens.Add(new Token(Kind.Comma, ",", i++)); continue; }
                if (c == '\'')
                {
                    int start = i++;
                    var value = new StringBuilder();
                    while (true)
                    {
                        if (i >= text.Length) throw Invalid("unterminated string starting at position " + start);
                        if (text[i] == '\'')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '\'') { value.Append('\''); i += 2; continue; }
                            i++;
                            break;
                        }
                        value.Append(text[i++]);
                    }
                    tokens.Add(new Token(Kind.Text, value.ToString(), start));
                    continue;
                }
                if (char.IsLetter(c))
                {
                    int start = i;
                    while (i < text.Length && char.IsLetterOrDigit(text[i])) i++;
                    tokens.Add(new Token(Kind.Word, text.Substring(start, i - start), start));
                    continue;
                }
                throw Invalid("unexpected character '" + c + "' at position " + i);
            }
            return tokens;
        }

        private sealed class Parser
        {
            private readonly List<Token> _tokens;
            private int _next;

            public Parser(List<Token> tokens) { _tokens = tokens; }

            public Func<CamAccount, bool> ParseOr()
            {
                var left = ParseAnd();
                while (Peek(t => t.IsWord("or")))
                {
                    _next++;
                    var l = left; var r = ParseAnd();
                    left = a => l(a) || r(a);
                }
                return left;
            }

            public void ExpectEnd()
            {
                if (_next < _tokens.Count) throw Invalid("unexpected '" + _tokens[_next].Value + "' at position " + _tokens[_next].Position);
            }

            private Func<CamAccount, bool> ParseAnd()
            {
                var left = ParseUnary();
                while (Peek(t => t.IsWord("and")))
                {
                    _next++;
                    var l = left; var r = ParseUnary();
                    left = a => l(a) && r(a);
                }
                return left;
            }

            private Func<CamAccount, bool> ParseUnary()
            {
                if (Peek(t => t.IsWord("not")))
                {
                    _next++;
                    var inner = ParseUnary();
                    return a => !inner(a);
                }
                return ParsePrimary();
            }

            private Func<CamAccount, bool> ParsePrimary()
            {
                var token = Take("a condition");
                if (token.Kind == Kind.Open)
                {
                    var inner = ParseOr();
                    Expect(Kind.Close, "')'");
                    return inner;
                }
                if (token.IsWord("contains"))
                {
                    Expect(Kind.Open, "'(' after contains");
                    var field = Take("a field name");
                    if (!field.IsWord("name")) throw Invalid("contains() is supported on the field 'name' only, not '" + field.Value + "'");
                    Expect(Kind.Comma, "','");
                    var text = Expect(Kind.Text, "a quoted string").Value;
                    Expect(Kind.Close, "')'");
                    return a => a.Name.IndexOf(text, StringComparison.OrdinalIgnoreCase) >= 0;
                }
                if (token.Kind == Kind.Word)
                {
                    var accessor = Field(token);
                    var op = Take("'eq'");
                    if (!op.IsWord("eq")) throw Invalid("only the operator 'eq' is supported, not '" + op.Value + "' at position " + op.Position);
                    var value = Expect(Kind.Text, "a quoted string").Value;
                    return a => string.Equals(accessor(a), value, StringComparison.Ordinal);
                }
                throw Invalid("unexpected '" + token.Value + "' at position " + token.Position);
            }

            private static Func<CamAccount, string> Field(Token token)
            {
                if (token.IsWord("name")) return a => a.Name;
                if (token.IsWord("id")) return a => a.Id;
                if (token.IsWord("state")) return a => a.State;
                throw Invalid("unsupported field '" + token.Value + "' (supported: name, id, state)");
            }

            private bool Peek(Func<Token, bool> test) => _next < _tokens.Count && test(_tokens[_next]);

            private Token Take(string what)
            {
                if (_next >= _tokens.Count) throw Invalid("expected " + what + " but the filter ended");
                return _tokens[_next++];
            }

            private Token Expect(Kind kind, string what)
            {
                var token = Take(what);
                if (token.Kind != kind) throw Invalid("expected " + what + " at position " + token.Position + ", found '" + token.Value + "'");
                return token;
            }
        }

        private static CamError Invalid(string why) => CamError.BadRequest("InvalidFilter", "Invalid TMV1-Filter: " + why + ".");
    }
}
