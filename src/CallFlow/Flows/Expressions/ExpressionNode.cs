using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>A node of a parsed expression; knows where it was written so validation can point at it.</summary>
internal abstract class ExpressionNode : FlowExpression
{
    private readonly string _text;
    private readonly int _end;

    protected ExpressionNode(string text, int offset, int end)
    {
        _text = text;
        Offset = offset;
        _end = end;
    }

    /// <summary>0-based start in the expression text.</summary>
    public int Offset { get; }

    /// <summary>End (exclusive) in the expression text.</summary>
    public int End => _end;

    /// <inheritdoc />
    public override string Source => _text[Offset.._end];

    /// <summary>Direct sub-expressions, for validation walks.</summary>
    public virtual IEnumerable<ExpressionNode> Children => [];

    /// <summary>This node and every node below it.</summary>
    public IEnumerable<ExpressionNode> DescendantsAndSelf()
    {
        var pending = new Stack<ExpressionNode>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            yield return node;
            foreach (var child in node.Children)
            {
                pending.Push(child);
            }
        }
    }

    public abstract override JsonNode? Evaluate(IFlowScope scope);
}
