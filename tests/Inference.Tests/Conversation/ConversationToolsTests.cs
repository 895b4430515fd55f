using System.Text.Json;
using Microsoft.Extensions.AI;
using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.Inference.Tests.Conversation;

public sealed class ConversationToolsTests
{
    private static readonly ConversationActionKind[] All = Enum.GetValues<ConversationActionKind>();
    private static readonly string[] Steps = ["billing", "agent"];

    private static FunctionCallContent Call(string name, string json) =>
        new("call_1", name, JsonSerializer.Deserialize<Dictionary<string, object?>>(json));

    [Fact]
    public void Only_allowed_actions_are_declared_and_goto_step_lists_the_steps()
    {
        var tools = ConversationTools.Declare([ConversationActionKind.GotoStep, ConversationActionKind.Hangup], Steps);
        Assert.Equal(["goto_step", "hangup"], tools.Select(t => t.Name));
        var schema = ((AIFunctionDeclaration)tools[0]).JsonSchema.GetRawText();
        Assert.Contains("\"enum\":[\"billing\",\"agent\"]", schema, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("goto_step", """{"step":"billing"}""", ConversationActionKind.GotoStep, "billing", null)]
    [InlineData("transfer", """{"reason":"wants a human"}""", ConversationActionKind.Transfer, null, "wants a human")]
    [InlineData("hangup", "{}", ConversationActionKind.Hangup, null, null)]
    [InlineData("set_variable", """{"name":"account","value":"12345"}""", ConversationActionKind.SetVariable, "account", "12345")]
    [InlineData("set_variable", """{"name":"count","value":3}""", ConversationActionKind.SetVariable, "count", "3")]
    [InlineData("send_dtmf", """{"digits":"12#"}""", ConversationActionKind.SendDtmf, "12#", null)]
    public void Tool_calls_map_to_actions(string tool, string arguments, ConversationActionKind kind, string? target, string? value)
    {
        Assert.True(ConversationTools.TryMap(Call(tool, arguments), All, Steps, out var action, out var rejection), rejection);
        Assert.Equal(new ConversationAction(kind, target, value, "call_1"), action);
    }

    [Theory]
    [InlineData("delete_account", "{}", "unknown tool 'delete_account'")]
    [InlineData("goto_step", """{"step":"nowhere"}""", "goto_step needs one of: billing, agent")]
    [InlineData("send_dtmf", """{"digits":"12x"}""", "send_dtmf needs")]
    [InlineData("set_variable", """{"name":"1bad","value":"x"}""", "set_variable needs")]
    public void Unknown_tools_and_arguments_that_do_not_fit_are_rejected(string tool, string arguments, string reason)
    {
        Assert.False(ConversationTools.TryMap(Call(tool, arguments), All, Steps, out var action, out var rejection));
        Assert.Null(action);
        Assert.StartsWith(reason, rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void An_action_the_step_does_not_allow_is_an_unknown_tool()
    {
        Assert.False(ConversationTools.TryMap(Call("transfer", "{}"), [ConversationActionKind.Hangup], Steps, out _, out var rejection));
        Assert.Equal("unknown tool 'transfer'", rejection);
    }

    [Fact]
    public void Arguments_that_were_not_json_are_rejected()
    {
        var call = new FunctionCallContent("call_1", "hangup") { Exception = new JsonException("bad") };
        Assert.False(ConversationTools.TryMap(call, All, Steps, out _, out var rejection));
        Assert.Equal("arguments of 'hangup' are not valid JSON", rejection);
    }
}
