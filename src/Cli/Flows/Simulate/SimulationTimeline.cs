using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// Prints what a simulated call did, in time order: the flow's trace and the events the gateway would publish
/// (serialised as MassTransit's System.Text.Json serializer does: camelCase). Text lines look like
/// <c>  3.52s  step  menu (gather)</c>; with JSON, one object per line.
/// </summary>
internal sealed class SimulationTimeline(TextWriter output, bool json) : IFlowObserver
{
    // MassTransit's System.Text.Json serializer: web defaults (camelCase) with relaxed escaping ("+1555…", not "\u002B1555…").
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<ICallEvent> _events = [];

    /// <summary>Every event in the order published.</summary>
    public IReadOnlyList<ICallEvent> Events => _events;

    public void OnTrace(FlowTrace trace)
    {
        if (json)
        {
            var line = new JsonObject
            {
                ["type"] = "trace",
                ["at"] = Math.Round(trace.At.TotalSeconds, 3),
                ["kind"] = trace.Kind,
                ["step"] = trace.Step,
                ["detail"] = trace.Detail,
            };
            output.WriteLine(line.ToJsonString());
            return;
        }

        var detail = trace.Kind switch
        {
            "step" => $"{trace.Step}{(trace.Detail.Length > 0 ? $" ({trace.Detail})" : string.Empty)}",
            "say" => $"\"{trace.Detail}\"",
            _ => trace.Detail,
        };
        Write(trace.At, trace.Kind, detail);
    }

    public void OnEvent(TimeSpan at, ICallEvent callEvent)
    {
        _events.Add(callEvent);
        var body = JsonSerializer.Serialize(callEvent, callEvent.GetType(), EventJson);
        if (json)
        {
            var line = new JsonObject
            {
                ["type"] = "event",
                ["at"] = Math.Round(at.TotalSeconds, 3),
                ["event"] = callEvent.GetType().Name,
                ["message"] = JsonNode.Parse(body),
            };
            output.WriteLine(line.ToJsonString());
            return;
        }

        Write(at, "event", $"{callEvent.GetType().Name} {body}");
    }

    public void OnOutcome(FlowResult result)
    {
        var outcome = result.Outcome.ToString().ToLowerInvariant();
        if (json)
        {
            var line = new JsonObject
            {
                ["type"] = "outcome",
                ["outcome"] = outcome,
                ["lastStep"] = result.LastStep,
                ["detail"] = result.Detail,
                ["flow"] = result.FlowName,
                ["flowVersion"] = result.FlowVersion,
            };
            output.WriteLine(line.ToJsonString());
            return;
        }

        var detail = result.Detail.Length > 0 ? $" ({result.Detail})" : string.Empty;
        output.WriteLine($"outcome: {outcome} at step {result.LastStep ?? "(none)"}{detail}");
    }

    private void Write(TimeSpan at, string kind, string detail) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at.TotalSeconds,7:0.00}s  {kind,-5} {detail}"));
}
