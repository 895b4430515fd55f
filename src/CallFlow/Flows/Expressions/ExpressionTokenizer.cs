using System.Text;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>Splits expression text into tokens; reports the offset of the first character it cannot use.</summary>
internal static class ExpressionTokenizer
{
    public static List<ExpressionToken> Tokenize(string text)
    {
        var tokens = new List<ExpressionToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new ExpressionToken(ExpressionTokenKind.End, text.Length, text.Length, string.Empty));
                return tokens;
            }

            var start = i;
            var c = text[i];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new ExpressionToken(ExpressionTokenKind.Name, start, i, text[start..i]));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                {
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new ExpressionToken(ExpressionTokenKind.Number, start, i, text[start..i]));
                continue;
            }

            if (c is '"' or '\'')
            {
                var value = ReadString(text, ref i);
                tokens.Add(new ExpressionToken(ExpressionTokenKind.String, start, i, value));
                continue;
            }

            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            (ExpressionTokenKind kind, int length) = (c, next) switch
            {
                ('=', '=') => (ExpressionTokenKind.Equal, 2),
                ('!', '=') => (ExpressionTokenKind.NotEqual, 2),
                ('<', '=') => (ExpressionTokenKind.LessOrEqual, 2),
                ('>', '=') => (ExpressionTokenKind.GreaterOrEqual, 2),
                ('<', _) => (ExpressionTokenKind.Less, 1),
                ('>', _) => (ExpressionTokenKind.Greater, 1),
                ('(', _) => (ExpressionTokenKind.LeftParen, 1),
                (')', _) => (ExpressionTokenKind.RightParen, 1),
                ('[', _) => (ExpressionTokenKind.LeftBracket, 1),
                (']', _) => (ExpressionTokenKind.RightBracket, 1),
                (',', _) => (ExpressionTokenKind.Comma, 1),
                ('.', _) => (ExpressionTokenKind.Dot, 1),
                ('+', _) => (ExpressionTokenKind.Plus, 1),
                ('-', _) => (ExpressionTokenKind.Minus, 1),
                ('*', _) => (ExpressionTokenKind.Star, 1),
                ('/', _) => (ExpressionTokenKind.Slash, 1),
                ('=', _) => throw new FlowSyntaxException("expected '==' to compare ('=' alone is not an operator)", start),
                ('&', '&') => throw new FlowSyntaxException("'&&' is not an operator here: use 'and'", start),
                ('|', '|') => throw new FlowSyntaxException("'||' is not an operator here: use 'or'", start),
                ('!', _) => throw new FlowSyntaxException("'!' is not an operator here: use 'not' (or '!=' to compare)", start),
                _ => throw new FlowSyntaxException($"unexpected character '{c}'", start),
            };
            tokens.Add(new ExpressionToken(kind, start, start + length, text.Substring(start, length)));
            i += length;
        }
    }

    private static string ReadString(string text, ref int i)
    {
        var quote = text[i];
        var start = i;
        i++;
        var value = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(text[i] switch { 'n' => '\n', 't' => '\t', var other => other });
            }
            else
            {
                value.Append(text[i]);
            }

            i++;
        }

        if (i >= text.Length)
        {
            throw new FlowSyntaxException($"string starting here has no closing {quote}", start);
        }

        i++;
        return value.ToString();
    }
}
