using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary><c>a and b</c>, <c>a or b</c>: short-circuit, result is a boolean.</summary>
internal sealed class LogicalNode(string text, int offset, int end, bool isAnd, ExpressionNode left, ExpressionNode right)
    : ExpressionNode(text, offset, end)
{
    public override IEnumerable<ExpressionNode> Children => [left, right];

    public override JsonNode? Evaluate(IFlowScope scope)
    {
        var first = FlowValues.IsTruthy(left.Evaluate(scope));
        if (isAnd ? !first : first)
        {
            return JsonValue.Create(first);
        }

        return JsonValue.Create(FlowValues.IsTruthy(right.Evaluate(scope)));
    }
}
