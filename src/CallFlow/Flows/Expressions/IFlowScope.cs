using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>What expressions can see while a call runs: the names of config/flows/README.md and the clock.</summary>
public interface IFlowScope
{
    /// <summary>Looks up a top-level name (<c>digits</c>, <c>emotion</c>, <c>vars</c>, <c>total</c>, …).</summary>
    bool TryGetValue(string name, out JsonNode? value);

    /// <summary>Now, for time-of-day conditions (a fixed or virtual time in simulations).</summary>
    DateTimeOffset Now { get; }

    /// <summary>Time zone of schedules that name none.</summary>
    TimeZoneInfo TimeZone { get; }
}
