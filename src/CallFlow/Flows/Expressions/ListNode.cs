using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary><c>[a, b, …]</c>.</summary>
internal sealed class ListNode(string text, int offset, int end, IReadOnlyList<ExpressionNode> items) : ExpressionNode(text, offset, end)
{
    public IReadOnlyList<ExpressionNode> Items { get; } = items;

    public override IEnumerable<ExpressionNode> Children => Items;

    public override JsonNode? Evaluate(IFlowScope scope)
    {
        var list = new JsonArray();
        foreach (var item in Items)
        {
            list.Add(FlowOperators.Detach(item.Evaluate(scope)));
        }

        return list;
    }
}
