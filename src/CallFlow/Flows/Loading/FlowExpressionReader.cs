using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// Reads conditions, templates and values, reporting expression mistakes at their own column inside the file rather
/// than at the start of the scalar that holds them.
/// </summary>
internal sealed class FlowExpressionReader(FlowErrorCollector errors)
{
    /// <summary>A condition (<c>if:</c>, <c>when:</c>): the whole scalar is one expression.</summary>
    public FlowExpression? Expression(YamlNode node, string field)
    {
        if (node is not YamlScalarNode scalar || YamlCoreSchema.ScalarJson(scalar) is null)
        {
            errors.Add(node, field, $"expected a condition such as digits == \"1\", got {YamlCoreSchema.Describe(node)}");
            return null;
        }

        var text = scalar.Value ?? string.Empty;
        if (!FlowExpressionParser.TryParse(text, out var expression, out var syntax))
        {
            errors.Add(At(scalar, syntax!.Offset), field, $"condition does not parse: {syntax.Message}");
            return null;
        }

        var before = errors.Count;
        ExpressionValidator.Check(expression!, (offset, message) => errors.Add(At(scalar, offset), field, message));
        return errors.Count == before ? expression : null;
    }

    /// <summary>
    /// <paramref name="text"/>, the text value of <paramref name="scalar"/>, as a template that may hold
    /// <c>{{ expressions }}</c>.
    /// </summary>
    public FlowTemplate? Template(YamlScalarNode scalar, string text, string field)
    {
        if (!FlowTemplateParser.TryParse(text, out var template, out var syntax))
        {
            errors.Add(At(scalar, syntax!.Offset), field, $"template does not parse: {syntax.Message}");
            return null;
        }

        var before = errors.Count;
        foreach (var (expression, start) in FlowTemplateParser.Expressions(template!))
        {
            ExpressionValidator.Check(expression, (offset, message) => errors.Add(At(scalar, start + offset), field, message));
        }

        return errors.Count == before ? template : null;
    }

    /// <summary>A value for <c>set</c> or <c>body</c>: text with <c>{{</c> becomes a template, anything else a literal.</summary>
    public FlowValueSource? Value(YamlNode node, string field)
    {
        if (node is YamlScalarNode scalar && YamlCoreSchema.ScalarJson(scalar) is JsonValue v && FlowOperators.TryGetString(v, out var text)
            && FlowTemplateParser.HasExpressions(text))
        {
            var template = Template(scalar, text, field);
            return template is null ? null : new FlowValueSource(null, template);
        }

        return new FlowValueSource(YamlCoreSchema.ToJson(node), null);
    }

    /// <summary>
    /// The mark of character <paramref name="offset"/> of a scalar's value. Exact for one-line plain and quoted
    /// scalars without escapes; block scalars and multi-line values fall back to the scalar's own start.
    /// </summary>
    internal static Mark At(YamlScalarNode scalar, int offset)
    {
        var start = scalar.Start;
        if (scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return start;
        }

        var text = scalar.Value ?? string.Empty;
        if (text[..Math.Min(offset, text.Length)].Contains('\n', StringComparison.Ordinal))
        {
            return start;
        }

        var quote = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        return new Mark(start.Index + quote + offset, start.Line, start.Column + quote + offset);
    }
}
