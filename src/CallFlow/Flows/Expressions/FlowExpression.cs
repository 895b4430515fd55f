using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>A parsed condition or template expression (see config/flows/README.md for the language).</summary>
public abstract class FlowExpression
{
    /// <summary>The text it was parsed from.</summary>
    public abstract string Source { get; }

    /// <summary>Computes the value. Never throws for type mismatches: they compare unequal and count as false.</summary>
    public abstract JsonNode? Evaluate(IFlowScope scope);

    /// <summary>Truthiness: false, null, 0, "" and empty lists are false; everything else is true.</summary>
    public bool IsTrue(IFlowScope scope) => FlowValues.IsTruthy(Evaluate(scope));
}
