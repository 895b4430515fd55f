using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Expressions;

/// <summary>A scope over a fixed set of values and a fixed clock.</summary>
internal sealed class TestScope(Dictionary<string, JsonNode?> values, DateTimeOffset now, TimeZoneInfo? zone = null) : IFlowScope
{
    public TestScope()
        : this([], new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public DateTimeOffset Now { get; } = now;

    public TimeZoneInfo TimeZone { get; } = zone ?? TimeZoneInfo.Utc;

    public bool TryGetValue(string name, out JsonNode? value) => values.TryGetValue(name, out value);
}
