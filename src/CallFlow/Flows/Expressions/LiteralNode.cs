using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>A string, number, boolean or null written in the expression.</summary>
internal sealed class LiteralNode(string text, int offset, int end, JsonNode? value) : ExpressionNode(text, offset, end)
{
    public JsonNode? Value { get; } = value;

    // A copy each time: callers may attach the result to another node, and a JsonNode has one parent.
    public override JsonNode? Evaluate(IFlowScope scope) => Value?.DeepClone();
}
