using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// What a route's <c>when</c> condition can see at INVITE time: who called whom over which trunk, and the time.
/// Nothing of the conversation exists yet, so every other name is unknown.
/// </summary>
internal sealed class RoutingScope(CallInfo call, TimeProvider time, TimeZoneInfo timeZone) : IFlowScope
{
    public DateTimeOffset Now => time.GetUtcNow();

    public TimeZoneInfo TimeZone => timeZone;

    public bool TryGetValue(string name, out JsonNode? value)
    {
        value = name switch
        {
            FlowScopeNames.Caller => JsonValue.Create(call.Caller),
            FlowScopeNames.Called => JsonValue.Create(call.Called),
            FlowScopeNames.Trunk => call.Trunk is null ? null : JsonValue.Create(call.Trunk),
            FlowScopeNames.CallId => JsonValue.Create(call.CallId),
            _ => null,
        };
        return name is FlowScopeNames.Caller or FlowScopeNames.Called or FlowScopeNames.Trunk or FlowScopeNames.CallId;
    }
}
