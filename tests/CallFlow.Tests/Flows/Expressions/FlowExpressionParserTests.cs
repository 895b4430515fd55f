using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Expressions;

public sealed class FlowExpressionParserTests
{
    private static readonly TestScope Scope = new(
        new Dictionary<string, JsonNode?>
        {
            ["digits"] = JsonValue.Create("12"),
            ["frustration"] = JsonValue.Create(0.8),
            ["sigh"] = JsonValue.Create(2),
            ["emotion"] = JsonValue.Create("angry"),
            ["vars"] = JsonNode.Parse("""{ "order": { "status": "shipped", "items": [1, 2, 3] }, "n": 4, "empty": "" }"""),
        },
        new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private static JsonNode? Eval(string text) => FlowExpressionParser.Parse(text).Evaluate(Scope);

    private static string Json(string text) => Eval(text)?.ToJsonString() ?? "null";

    [Theory]
    [InlineData("digits == \"12\"", "true")]
    [InlineData("digits == 12", "false")]
    [InlineData("\"1\" == 1", "false")]
    [InlineData("1 == 1.0", "true")]
    [InlineData("null == null", "true")]
    [InlineData("vars.missing == null", "true")]
    [InlineData("true != false", "true")]
    [InlineData("frustration > 0.7", "true")]
    [InlineData("frustration >= 0.8 and sigh <= 2", "true")]
    [InlineData("digits > 1", "false")]
    [InlineData("\"b\" > \"a\"", "false")]
    [InlineData("not (emotion == \"angry\")", "false")]
    [InlineData("emotion in [\"angry\", \"frustrated\"]", "true")]
    [InlineData("\"hip\" in \"shipped\"", "true")]
    [InlineData("3 in vars.order.items", "true")]
    [InlineData("vars.order.status == 'shipped'", "true")]
    [InlineData("vars.n + 1", "5")]
    [InlineData("vars.n - 1 * 2", "2")]
    [InlineData("(vars.n - 1) * 2", "6")]
    [InlineData("-vars.n / 8", "-0.5")]
    [InlineData("vars.n / 0", "null")]
    [InlineData("\"a\" + \"b\"", "\"ab\"")]
    [InlineData("\"n=\" + vars.n", "\"n=4\"")]
    [InlineData("true + 1", "null")]
    [InlineData("\"x\" * 2", "null")]
    [InlineData("len(digits)", "2")]
    [InlineData("len(vars.order.items)", "3")]
    [InlineData("len(vars.nothing)", "0")]
    [InlineData("contains(vars.order.status, \"ship\")", "true")]
    [InlineData("number(digits) + 1", "13")]
    [InlineData("number(\"abc\")", "null")]
    [InlineData("text(vars.n) == \"4\"", "true")]
    [InlineData("[1, \"a\"]", "[1,\"a\"]")]
    public void Evaluates_per_the_readme(string expression, string expected) => Assert.Equal(expected, Json(expression));

    [Fact]
    public void And_or_short_circuit()
    {
        var scope = new RecordingScope(Scope);
        Assert.False(FlowExpressionParser.Parse("false and sigh").IsTrue(scope));
        Assert.True(FlowExpressionParser.Parse("true or sigh").IsTrue(scope));
        Assert.Empty(scope.LookedUp);
        Assert.True(FlowExpressionParser.Parse("vars.empty or sigh").IsTrue(scope));
        Assert.Equal(["vars", "sigh"], scope.LookedUp);
    }

    private sealed class RecordingScope(IFlowScope inner) : IFlowScope
    {
        public List<string> LookedUp { get; } = [];

        public DateTimeOffset Now => inner.Now;

        public TimeZoneInfo TimeZone => inner.TimeZone;

        public bool TryGetValue(string name, out JsonNode? value)
        {
            LookedUp.Add(name);
            return inner.TryGetValue(name, out value);
        }
    }

    [Fact]
    public void Strings_take_either_quote_and_backslash_escapes() =>
        Assert.Equal("it's \"x\"", Eval("'it\\'s \"x\"'")!.GetValue<string>());

    [Fact]
    public void Integer_backed_values_from_a_scope_count_as_numbers()
    {
        // Scopes may hold JsonValue.Create(int) (vocal-event counts); truthiness and text must not throw on them.
        Assert.Equal("2", FlowTemplateParser.Parse("{{ sigh }}").Render(Scope));
        Assert.True(FlowExpressionParser.Parse("sigh == 2").IsTrue(Scope));
    }

    [Fact]
    public void Truthiness_decides_conditions()
    {
        Assert.False(FlowExpressionParser.Parse("vars.empty").IsTrue(Scope));
        Assert.True(FlowExpressionParser.Parse("sigh").IsTrue(Scope));
        Assert.False(FlowExpressionParser.Parse("vars.nothing").IsTrue(Scope));
    }

    [Fact]
    public void Unknown_names_evaluate_to_null_at_run_time() => Assert.Equal("null", Json("caller"));

    [Fact]
    public void Source_is_the_text_parsed()
    {
        Assert.Equal("digits == \"1\"", FlowExpressionParser.Parse("digits == \"1\"").Source);
    }

    [Theory]
    [InlineData("digits ==", 9, "ended")]
    [InlineData("digits = 1", 7, "'=='")]
    [InlineData("(1 + 2", 6, "')'")]
    [InlineData("1 2", 2, "expected an operator or the end")]
    [InlineData("\"open", 0, "no closing")]
    [InlineData("digits # 1", 7, "unexpected character '#'")]
    [InlineData("", 0, "found nothing")]
    [InlineData("vars.", 5, "field name")]
    [InlineData("and", 0, "keyword")]
    public void Syntax_errors_carry_the_offset(string text, int offset, string message)
    {
        Assert.False(FlowExpressionParser.TryParse(text, out var expression, out var error));
        Assert.Null(expression);
        Assert.Equal(offset, error!.Offset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var text = new string('(', 10_000) + "1" + new string(')', 10_000);
        Assert.False(FlowExpressionParser.TryParse(text, out _, out var error));
        Assert.Contains("nests deeper", error!.Message, StringComparison.Ordinal);
    }
}
