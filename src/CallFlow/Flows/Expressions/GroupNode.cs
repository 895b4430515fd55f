using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary><c>( inner )</c>: kept as a node so <see cref="FlowExpression.Source"/> shows the parentheses as written.</summary>
internal sealed class GroupNode(string text, int offset, int end, ExpressionNode inner) : ExpressionNode(text, offset, end)
{
    public override IEnumerable<ExpressionNode> Children => [inner];

    public override JsonNode? Evaluate(IFlowScope scope) => inner.Evaluate(scope);
}
