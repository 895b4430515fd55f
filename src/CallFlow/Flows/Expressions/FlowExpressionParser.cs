using System.Globalization;
using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>
/// Recursive-descent parser of the expression language. Precedence, lowest first: <c>or</c>, <c>and</c>,
/// <c>not</c>, comparisons and <c>in</c> (not chained), <c>+ -</c>, <c>* /</c>, unary minus, names/calls/literals.
/// </summary>
public static class FlowExpressionParser
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FlowSyntaxException">The text is not an expression; the exception holds the offset.</exception>
    public static FlowExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseNode(text);
    }

    /// <summary>Parses <paramref name="text"/>; false with the error when it is not an expression.</summary>
    public static bool TryParse(string text, out FlowExpression? expression, out FlowSyntaxException? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            expression = ParseNode(text);
            error = null;
            return true;
        }
        catch (FlowSyntaxException ex)
        {
            expression = null;
            error = ex;
            return false;
        }
    }

    internal static ExpressionNode ParseNode(string text)
    {
        var parser = new Cursor(text, ExpressionTokenizer.Tokenize(text));
        if (parser.Peek.Kind == ExpressionTokenKind.End)
        {
            throw new FlowSyntaxException("expected an expression, found nothing", 0);
        }

        var node = parser.Or();
        if (parser.Peek.Kind != ExpressionTokenKind.End)
        {
            throw new FlowSyntaxException($"expected an operator or the end, got '{parser.Peek.Text}'", parser.Peek.Offset);
        }

        return node;
    }

    private sealed class Cursor(string text, List<ExpressionToken> tokens)
    {
        private const int MaxDepth = 64;
        private int _position;
        private int _depth;

        public ExpressionToken Peek => tokens[_position];

        public ExpressionNode Or()
        {
            var left = And();
            while (IsKeyword("or"))
            {
                Take();
                var right = And();
                left = new LogicalNode(text, left.Offset, right.End, isAnd: false, left, right);
            }

            return left;
        }

        private ExpressionNode And()
        {
            var left = Not();
            while (IsKeyword("and"))
            {
                Take();
                var right = Not();
                left = new LogicalNode(text, left.Offset, right.End, isAnd: true, left, right);
            }

            return left;
        }

        private ExpressionNode Not()
        {
            if (!IsKeyword("not"))
            {
                return Comparison();
            }

            var start = Take().Offset;
            var operand = Nested(Not);
            return new UnaryNode(text, start, operand.End, isNot: true, operand);
        }

        private ExpressionNode Comparison()
        {
            var left = Additive();
            BinaryOperator? op = Peek.Kind switch
            {
                ExpressionTokenKind.Equal => BinaryOperator.Equal,
                ExpressionTokenKind.NotEqual => BinaryOperator.NotEqual,
                ExpressionTokenKind.Less => BinaryOperator.Less,
                ExpressionTokenKind.LessOrEqual => BinaryOperator.LessOrEqual,
                ExpressionTokenKind.Greater => BinaryOperator.Greater,
                ExpressionTokenKind.GreaterOrEqual => BinaryOperator.GreaterOrEqual,
                ExpressionTokenKind.Name when Peek.Text == "in" => BinaryOperator.In,
                _ => null,
            };
            if (op is null)
            {
                return left;
            }

            Take();
            var right = Additive();
            return new BinaryNode(text, left.Offset, right.End, op.Value, left, right);
        }

        private ExpressionNode Additive()
        {
            var left = Multiplicative();
            while (Peek.Kind is ExpressionTokenKind.Plus or ExpressionTokenKind.Minus)
            {
                var op = Take().Kind == ExpressionTokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
                var right = Multiplicative();
                left = new BinaryNode(text, left.Offset, right.End, op, left, right);
            }

            return left;
        }

        private ExpressionNode Multiplicative()
        {
            var left = Unary();
            while (Peek.Kind is ExpressionTokenKind.Star or ExpressionTokenKind.Slash)
            {
                var op = Take().Kind == ExpressionTokenKind.Star ? BinaryOperator.Multiply : BinaryOperator.Divide;
                var right = Unary();
                left = new BinaryNode(text, left.Offset, right.End, op, left, right);
            }

            return left;
        }

        private ExpressionNode Unary()
        {
            if (Peek.Kind != ExpressionTokenKind.Minus)
            {
                return Primary();
            }

            var start = Take().Offset;
            var operand = Nested(Unary);
            return new UnaryNode(text, start, operand.End, isNot: false, operand);
        }

        private ExpressionNode Primary()
        {
            var token = Take();
            switch (token.Kind)
            {
                case ExpressionTokenKind.Number:
                    return new LiteralNode(text, token.Offset, token.Offset + token.Text.Length,
                        JsonValue.Create(double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture)));
                case ExpressionTokenKind.String:
                    return new LiteralNode(text, token.Offset, EndOfString(token.Offset), JsonValue.Create(token.Text));
                case ExpressionTokenKind.LeftParen:
                    var inner = Nested(Or);
                    Expect(ExpressionTokenKind.RightParen, "')'");
                    return inner;
                case ExpressionTokenKind.LeftBracket:
                    return List(token.Offset);
                case ExpressionTokenKind.Name:
                    return Name(token);
                case ExpressionTokenKind.End:
                    throw new FlowSyntaxException("expected a value, name or '(' but the expression ended", token.Offset);
                default:
                    throw new FlowSyntaxException($"expected a value, name or '(', got '{token.Text}'", token.Offset);
            }
        }

        private ExpressionNode Name(ExpressionToken token)
        {
            switch (token.Text)
            {
                case "true" or "false":
                    return new LiteralNode(text, token.Offset, token.Offset + token.Text.Length, JsonValue.Create(token.Text == "true"));
                case "null":
                    return new LiteralNode(text, token.Offset, token.Offset + 4, null);
                case "and" or "or" or "not" or "in":
                    throw new FlowSyntaxException($"expected a value, got the keyword '{token.Text}'", token.Offset);
            }

            if (Peek.Kind == ExpressionTokenKind.LeftParen)
            {
                Take();
                var arguments = new List<ExpressionNode>();
                if (Peek.Kind != ExpressionTokenKind.RightParen)
                {
                    arguments.Add(Nested(Or));
                    while (Peek.Kind == ExpressionTokenKind.Comma)
                    {
                        Take();
                        arguments.Add(Nested(Or));
                    }
                }

                var close = Expect(ExpressionTokenKind.RightParen, "',' or ')'");
                return new CallNode(text, token.Offset, close.Offset + 1, token.Text, arguments);
            }

            var path = new List<string>();
            var end = token.Offset + token.Text.Length;
            while (Peek.Kind == ExpressionTokenKind.Dot)
            {
                Take();
                var member = Expect(ExpressionTokenKind.Name, "a field name after '.'");
                path.Add(member.Text);
                end = member.Offset + member.Text.Length;
            }

            return new NameNode(text, token.Offset, end, token.Text, path);
        }

        private ListNode List(int start)
        {
            var items = new List<ExpressionNode>();
            if (Peek.Kind != ExpressionTokenKind.RightBracket)
            {
                items.Add(Nested(Or));
                while (Peek.Kind == ExpressionTokenKind.Comma)
                {
                    Take();
                    items.Add(Nested(Or));
                }
            }

            var close = Expect(ExpressionTokenKind.RightBracket, "',' or ']'");
            return new ListNode(text, start, close.Offset + 1, items);
        }

        // Bounds recursion so a hostile "((((((…" reports an error instead of overflowing the stack.
        private ExpressionNode Nested(Func<ExpressionNode> parse)
        {
            if (++_depth > MaxDepth)
            {
                throw new FlowSyntaxException($"expression nests deeper than {MaxDepth} levels", Peek.Offset);
            }

            try
            {
                return parse();
            }
            finally
            {
                _depth--;
            }
        }

        private int EndOfString(int offset)
        {
            var next = _position < tokens.Count ? tokens[_position].Offset : text.Length;
            return Math.Max(offset + 1, Math.Min(next, text.Length));
        }

        private bool IsKeyword(string keyword) => Peek.Kind == ExpressionTokenKind.Name && Peek.Text == keyword;

        private ExpressionToken Take()
        {
            var token = tokens[_position];
            if (token.Kind != ExpressionTokenKind.End)
            {
                _position++;
            }

            return token;
        }

        private ExpressionToken Expect(ExpressionTokenKind kind, string what)
        {
            var token = Peek;
            if (token.Kind != kind)
            {
                throw new FlowSyntaxException(
                    token.Kind == ExpressionTokenKind.End ? $"expected {what} but the expression ended" : $"expected {what}, got '{token.Text}'",
                    token.Offset);
            }

            return Take();
        }
    }
}
