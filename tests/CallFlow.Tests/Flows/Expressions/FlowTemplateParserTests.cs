using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Expressions;

public sealed class FlowTemplateParserTests
{
    private static readonly TestScope Scope = new(
        new Dictionary<string, JsonNode?> { ["caller"] = JsonValue.Create("+15550100"), ["vars"] = JsonNode.Parse("""{ "n": 41 }""") },
        DateTimeOffset.UnixEpoch);

    [Fact]
    public void Renders_literal_text_and_expressions()
    {
        var template = FlowTemplateParser.Parse("Hi {{ caller }}, you are number {{ vars.n + 1 }}.");
        Assert.False(template.IsLiteral);
        Assert.Equal("Hi +15550100, you are number 42.", template.Render(Scope));
    }

    [Fact]
    public void A_single_expression_keeps_its_type() =>
        Assert.Equal("42", FlowTemplateParser.Parse("{{ vars.n + 1 }}").Evaluate(Scope)!.ToJsonString());

    [Fact]
    public void Text_without_braces_is_literal()
    {
        var template = FlowTemplateParser.Parse("plain text");
        Assert.True(template.IsLiteral);
        Assert.Equal("plain text", template.Render(Scope));
    }

    [Theory]
    [InlineData("Hi {{ caller", 3, "not closed")]
    [InlineData("Hi {{ caller == }}", 16, "ended")]
    public void Errors_are_offsets_in_the_whole_text(string text, int offset, string message)
    {
        Assert.False(FlowTemplateParser.TryParse(text, out _, out var error));
        Assert.Equal(offset, error!.Offset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
