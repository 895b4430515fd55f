using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>A value written in a flow: a YAML literal (number, bool, null, text without templates, list, mapping) or a template.</summary>
public sealed record FlowValueSource(JsonNode? Literal, FlowTemplate? Template)
{
    /// <summary>The value for this call (a fresh copy, safe to store).</summary>
    public JsonNode? Evaluate(IFlowScope scope) => Template is not null ? Template.Evaluate(scope) : Literal?.DeepClone();
}
