using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>A function call: <c>open("mon-fri 09:00-17:00")</c>, <c>len(digits)</c>, …</summary>
internal sealed class CallNode(string text, int offset, int end, string function, IReadOnlyList<ExpressionNode> arguments)
    : ExpressionNode(text, offset, end)
{
    public string Function { get; } = function;

    public IReadOnlyList<ExpressionNode> Arguments { get; } = arguments;

    public override IEnumerable<ExpressionNode> Children => Arguments;

    public override JsonNode? Evaluate(IFlowScope scope)
    {
        if (!FlowFunctions.Arity.TryGetValue(Function, out var arity) || Arguments.Count < arity.Min || Arguments.Count > arity.Max)
        {
            return null;
        }

        var values = new JsonNode?[Arguments.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Arguments[i].Evaluate(scope);
        }

        return FlowFunctions.Invoke(Function, values, scope);
    }
}
