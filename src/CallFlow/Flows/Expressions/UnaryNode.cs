using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary><c>not x</c> or <c>-x</c>.</summary>
internal sealed class UnaryNode(string text, int offset, int end, bool isNot, ExpressionNode operand) : ExpressionNode(text, offset, end)
{
    public override IEnumerable<ExpressionNode> Children => [operand];

    public override JsonNode? Evaluate(IFlowScope scope)
    {
        var value = operand.Evaluate(scope);
        if (isNot)
        {
            return JsonValue.Create(!FlowValues.IsTruthy(value));
        }

        return FlowOperators.TryGetNumber(value, out var number) ? JsonValue.Create(-number) : null;
    }
}
