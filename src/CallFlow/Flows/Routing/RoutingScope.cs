using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>
/// What a route's <c>when</c> can see when the call arrives, before any flow runs: who called whom and the clock.
/// Names that only exist during a flow (digits, emotion, vars, …) are null here.
/// </summary>
public sealed class RoutingScope(CallInfo call, DateTimeOffset now, TimeZoneInfo timeZone) : IFlowScope
{
    private readonly CallInfo _call = call ?? throw new ArgumentNullException(nameof(call));

    /// <inheritdoc />
    public DateTimeOffset Now { get; } = now;

    /// <inheritdoc />
    public TimeZoneInfo TimeZone { get; } = timeZone ?? throw new ArgumentNullException(nameof(timeZone));

    /// <inheritdoc />
    public bool TryGetValue(string name, out JsonNode? value)
    {
        value = name switch
        {
            FlowScopeNames.Caller => JsonValue.Create(_call.Caller),
            FlowScopeNames.Called => JsonValue.Create(_call.Called),
            FlowScopeNames.Trunk => _call.Trunk is null ? null : JsonValue.Create(_call.Trunk),
            FlowScopeNames.CallId => JsonValue.Create(_call.CallId),
            _ => null,
        };
        return value is not null;
    }
}
