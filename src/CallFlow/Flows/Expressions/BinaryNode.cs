using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>Comparison, <c>in</c> and arithmetic.</summary>
internal sealed class BinaryNode(string text, int offset, int end, BinaryOperator op, ExpressionNode left, ExpressionNode right)
    : ExpressionNode(text, offset, end)
{
    public override IEnumerable<ExpressionNode> Children => [left, right];

    public override JsonNode? Evaluate(IFlowScope scope)
    {
        var a = left.Evaluate(scope);
        var b = right.Evaluate(scope);
        return op switch
        {
            BinaryOperator.Equal => JsonValue.Create(FlowOperators.AreEqual(a, b)),
            BinaryOperator.NotEqual => JsonValue.Create(!FlowOperators.AreEqual(a, b)),
            BinaryOperator.Less => JsonValue.Create(FlowOperators.Compare(a, b, c => c < 0)),
            BinaryOperator.LessOrEqual => JsonValue.Create(FlowOperators.Compare(a, b, c => c <= 0)),
            BinaryOperator.Greater => JsonValue.Create(FlowOperators.Compare(a, b, c => c > 0)),
            BinaryOperator.GreaterOrEqual => JsonValue.Create(FlowOperators.Compare(a, b, c => c >= 0)),
            BinaryOperator.In => JsonValue.Create(FlowOperators.IsIn(a, b)),
            BinaryOperator.Add => FlowOperators.Add(a, b),
            _ => FlowOperators.Arithmetic(op, a, b),
        };
    }
}
