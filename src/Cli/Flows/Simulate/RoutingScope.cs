using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>What a route's <c>when:</c> sees before any flow runs: who called whom, and the answer time (<c>--at</c>).</summary>
internal sealed class RoutingScope(CallInfo call, DateTimeOffset now, TimeZoneInfo zone) : IFlowScope
{
    public DateTimeOffset Now => now;

    public TimeZoneInfo TimeZone => zone;

    public bool TryGetValue(string name, out JsonNode? value)
    {
        value = name switch
        {
            "caller" => JsonValue.Create(call.Caller),
            "called" => JsonValue.Create(call.Called),
            "trunk" => call.Trunk is null ? null : JsonValue.Create(call.Trunk),
            "call_id" => JsonValue.Create(call.CallId),
            _ => null,
        };
        return name is "caller" or "called" or "trunk" or "call_id";
    }
}
