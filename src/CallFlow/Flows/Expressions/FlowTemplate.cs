using System.Text;
using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>Text with <c>{{ expressions }}</c>, rendered when the step runs.</summary>
public sealed class FlowTemplate
{
    private readonly FlowTemplatePart[] _parts;

    /// <summary>Creates a template from parts the parser found in <paramref name="source"/>.</summary>
    public FlowTemplate(string source, IEnumerable<FlowTemplatePart> parts)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(parts);
        Source = source;
        _parts = [.. parts];
    }

    /// <summary>The text as written.</summary>
    public string Source { get; }

    /// <summary>Whether the text holds no expression.</summary>
    public bool IsLiteral => Array.TrueForAll(_parts, p => p.Expression is null);

    /// <summary>The parts in order.</summary>
    public IReadOnlyList<FlowTemplatePart> Parts => _parts;

    /// <summary>A template without expressions.</summary>
    public static FlowTemplate Literal(string text) => new(text, [new FlowTemplatePart(text, null)]);

    /// <summary>The text with every expression replaced by its value.</summary>
    public string Render(IFlowScope scope) => Render(scope, null);

    /// <summary>
    /// The text with every expression replaced by its value passed through <paramref name="escape"/> (for SSML:
    /// a caller's data must not open a tag); the written text is taken as it is.
    /// </summary>
    public string Render(IFlowScope scope, Func<string, string>? escape)
    {
        if (_parts.Length == 1 && _parts[0].Expression is null)
        {
            return _parts[0].Text ?? string.Empty;
        }

        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part.Expression is null)
            {
                text.Append(part.Text);
                continue;
            }

            var value = FlowValues.ToText(part.Expression.Evaluate(scope));
            text.Append(escape is null ? value : escape(value));
        }

        return text.ToString();
    }

    /// <summary>
    /// The value: a template that is exactly one expression keeps its type (so <c>{{ vars.n + 1 }}</c> stays a
    /// number); anything else renders to a string.
    /// </summary>
    public JsonNode? Evaluate(IFlowScope scope) =>
        _parts is [{ Expression: { } only }] ? only.Evaluate(scope)?.DeepClone() : JsonValue.Create(Render(scope));
}
