using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>
/// Expressions for runner tests, built in code so these tests do not depend on the expression parser: a name path
/// (<c>vars.account.balance</c>) and equality with a text.
/// </summary>
internal sealed class TestExpression(string source, Func<IFlowScope, JsonNode?> evaluate) : FlowExpression
{
    public override string Source { get; } = source;

    public override JsonNode? Evaluate(IFlowScope scope) => evaluate(scope);

    /// <summary><c>a.b.c</c>: a scope name, then fields of objects.</summary>
    public static TestExpression Name(string path) => new(path, scope =>
    {
        var names = path.Split('.');
        if (!scope.TryGetValue(names[0], out var value))
        {
            throw new InvalidOperationException($"unknown name {names[0]}");
        }

        foreach (var field in names.Skip(1))
        {
            value = value is JsonObject obj ? obj[field] : null;
        }

        return value;
    });

    /// <summary><c>path == "text"</c>.</summary>
    public static TestExpression Equal(string path, string text) =>
        new($"{path} == \"{text}\"", scope => FlowValues.ToText(Name(path).Evaluate(scope)) == text);

    /// <summary>A template: literal text with <c>{{ path }}</c> holes, e.g. Template("You pressed ", "digits").</summary>
    public static FlowTemplate Template(params string[] textThenPaths)
    {
        var parts = new List<FlowTemplatePart>();
        for (var i = 0; i < textThenPaths.Length; i++)
        {
            parts.Add(i % 2 == 0 ? new FlowTemplatePart(textThenPaths[i], null) : new FlowTemplatePart(null, Name(textThenPaths[i])));
        }

        return new FlowTemplate(string.Concat(textThenPaths), parts);
    }
}
