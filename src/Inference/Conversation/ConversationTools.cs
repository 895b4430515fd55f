using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// The tools a model is offered (OpenAI function-calling JSON schemas) and the mapping of its tool calls back to
/// <see cref="ConversationAction"/>s. A call to a tool that was not offered, or with arguments that do not fit, is
/// reported as a <see cref="ToolCallRejection"/> the model is told about, never executed.
/// </summary>
public static partial class ConversationTools
{
    private static readonly string[] StepRequired = ["step"];
    private static readonly string[] VariableRequired = ["name", "value"];
    private static readonly string[] DigitsRequired = ["digits"];

    /// <summary>The tool name of an action kind.</summary>
    public static string NameOf(ConversationActionKind kind) => kind switch
    {
        ConversationActionKind.GotoStep => "goto_step",
        ConversationActionKind.Transfer => "transfer",
        ConversationActionKind.Hangup => "hangup",
        ConversationActionKind.SetVariable => "set_variable",
        ConversationActionKind.SendDtmf => "send_dtmf",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Whether <paramref name="name"/> is one of the tools the gateway declares (any step's).</summary>
    public static bool IsDeclaredName(string? name) =>
        Enum.GetValues<ConversationActionKind>().Any(kind => NameOf(kind) == name);

    /// <summary>The declarations for the allowed actions; <paramref name="steps"/> are the steps <c>goto_step</c> may name.</summary>
    public static IList<AITool> Declare(IReadOnlyCollection<ConversationActionKind> allowed, IReadOnlyCollection<string> steps)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        ArgumentNullException.ThrowIfNull(steps);
        var tools = new List<AITool>();
        foreach (var kind in allowed.Distinct().Order())
        {
            var (description, schema) = kind switch
            {
                ConversationActionKind.GotoStep => (
                    "Leave the conversation and continue the call script at the named step.",
                    Schema(new { type = "object", properties = new { step = new { type = "string", @enum = steps.ToArray(), description = "The step to go to." } }, required = StepRequired })),
                ConversationActionKind.Transfer => (
                    "Transfer the caller to a human agent. Say a short sentence first.",
                    Schema(new { type = "object", properties = new { reason = new { type = "string", description = "Why, in a few words." } } })),
                ConversationActionKind.Hangup => (
                    "End the call after saying goodbye.",
                    Schema(new { type = "object", properties = new { reason = new { type = "string", description = "Why, in a few words." } } })),
                ConversationActionKind.SetVariable => (
                    "Remember a value for the rest of the call (for example an account number the caller gave).",
                    Schema(new { type = "object", properties = new { name = new { type = "string", pattern = "^[A-Za-z_][A-Za-z0-9_]{0,63}$" }, value = new { type = "string" } }, required = VariableRequired })),
                ConversationActionKind.SendDtmf => (
                    "Send telephone keys on the call.",
                    Schema(new { type = "object", properties = new { digits = new { type = "string", pattern = "^[0-9*#A-D]{1,32}$" } }, required = DigitsRequired })),
                _ => throw new ArgumentOutOfRangeException(nameof(allowed)),
            };
            tools.Add(AIFunctionFactory.CreateDeclaration(NameOf(kind), description, schema));
        }

        return tools;
    }

    /// <summary>
    /// Maps one tool call to an action. Returns false with the reason (for the model and the trace) for a tool not
    /// offered, arguments that are not JSON (the client sets <see cref="FunctionCallContent.Exception"/>), or arguments
    /// that break the tool's rules.
    /// </summary>
    public static bool TryMap(
        FunctionCallContent call,
        IReadOnlyCollection<ConversationActionKind> allowed,
        IReadOnlyCollection<string> steps,
        out ConversationAction? action,
        out string? rejection)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(allowed);
        ArgumentNullException.ThrowIfNull(steps);
        action = null;
        var kind = allowed.Cast<ConversationActionKind?>().FirstOrDefault(k => NameOf(k!.Value) == call.Name);
        if (kind is null)
        {
            rejection = $"unknown tool '{Truncate(call.Name)}'";
            return false;
        }

        if (call.Exception is not null)
        {
            rejection = $"arguments of '{call.Name}' are not valid JSON";
            return false;
        }

        string? Arg(string name) => call.Arguments is { } args && args.TryGetValue(name, out var v) ? ToText(v) : null;
        switch (kind.Value)
        {
            case ConversationActionKind.GotoStep:
                var step = Arg("step");
                if (step is null || !steps.Contains(step))
                {
                    rejection = $"goto_step needs one of: {string.Join(", ", steps)}";
                    return false;
                }

                action = new ConversationAction(kind.Value, step, null, call.CallId);
                break;
            case ConversationActionKind.Transfer:
            case ConversationActionKind.Hangup:
                action = new ConversationAction(kind.Value, null, Arg("reason"), call.CallId);
                break;
            case ConversationActionKind.SetVariable:
                var name = Arg("name");
                if (name is null || !VariableName().IsMatch(name))
                {
                    rejection = "set_variable needs a name of letters, digits and _ (not starting with a digit)";
                    return false;
                }

                action = new ConversationAction(kind.Value, name, Arg("value") ?? string.Empty, call.CallId);
                break;
            case ConversationActionKind.SendDtmf:
                var digits = Arg("digits");
                if (digits is null || !Digits().IsMatch(digits))
                {
                    rejection = "send_dtmf needs 1 to 32 of 0-9, *, #, A-D";
                    return false;
                }

                action = new ConversationAction(kind.Value, digits, null, call.CallId);
                break;
        }

        rejection = null;
        return true;
    }

    private static JsonElement Schema(object schema) => JsonSerializer.SerializeToElement(schema);

    private static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Truncate(string name) => name.Length <= 40 ? name : name[..40] + "…";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex VariableName();

    [GeneratedRegex("^[0-9*#A-D]{1,32}$")]
    private static partial Regex Digits();
}
