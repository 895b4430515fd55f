namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>Parses text with <c>{{ expression }}</c> holes into a <see cref="FlowTemplate"/>.</summary>
public static class FlowTemplateParser
{
    private const string Open = "{{";
    private const string Close = "}}";

    /// <summary>Whether <paramref name="text"/> holds at least one <c>{{</c>.</summary>
    public static bool HasExpressions(string text) => text?.Contains(Open, StringComparison.Ordinal) == true;

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FlowSyntaxException">An expression does not parse or a <c>{{</c> is not closed; the offset is in <paramref name="text"/>.</exception>
    public static FlowTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<FlowTemplatePart>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf(Open, position, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new FlowTemplatePart(text[position..], null));
                break;
            }

            if (open > position)
            {
                parts.Add(new FlowTemplatePart(text[position..open], null));
            }

            var inner = open + Open.Length;
            var close = text.IndexOf(Close, inner, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FlowSyntaxException("'{{' is not closed by '}}'", open);
            }

            try
            {
                parts.Add(new FlowTemplatePart(null, FlowExpressionParser.ParseNode(text[inner..close])));
            }
            catch (FlowSyntaxException ex)
            {
                throw new FlowSyntaxException(ex.Message, inner + ex.Offset);
            }

            position = close + Close.Length;
        }

        if (parts.Count == 0)
        {
            parts.Add(new FlowTemplatePart(string.Empty, null));
        }

        return new FlowTemplate(text, parts);
    }

    /// <summary>Parses <paramref name="text"/>; false with the error when it does not parse.</summary>
    public static bool TryParse(string text, out FlowTemplate? template, out FlowSyntaxException? error)
    {
        try
        {
            template = Parse(text);
            error = null;
            return true;
        }
        catch (FlowSyntaxException ex)
        {
            template = null;
            error = ex;
            return false;
        }
    }

    /// <summary>Where each expression of <paramref name="template"/> starts in its source (for validation messages).</summary>
    internal static IEnumerable<(ExpressionNode Node, int Offset)> Expressions(FlowTemplate template)
    {
        var position = 0;
        foreach (var part in template.Parts)
        {
            if (part.Expression is ExpressionNode node)
            {
                var open = template.Source.IndexOf(Open, position, StringComparison.Ordinal);
                var inner = open + Open.Length;
                yield return (node, inner);
                position = template.Source.IndexOf(Close, inner, StringComparison.Ordinal) + Close.Length;
            }
        }
    }
}
