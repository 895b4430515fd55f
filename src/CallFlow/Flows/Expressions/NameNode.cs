using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>A name with an optional member path: <c>digits</c>, <c>total.sigh</c>, <c>vars.order.status</c>.</summary>
internal sealed class NameNode(string text, int offset, int end, string root, IReadOnlyList<string> path) : ExpressionNode(text, offset, end)
{
    public string Root { get; } = root;

    public IReadOnlyList<string> Path { get; } = path;

    // Unknown names and missing members are null at run time; load-time validation rejects unknown roots.
    public override JsonNode? Evaluate(IFlowScope scope)
    {
        if (!scope.TryGetValue(Root, out var value))
        {
            return null;
        }

        foreach (var member in Path)
        {
            if (value is not JsonObject obj || !obj.TryGetPropertyValue(member, out value))
            {
                return null;
            }
        }

        return value;
    }
}
