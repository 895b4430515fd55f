using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// The state one call's flow reads and writes: the names of <see cref="FlowScopeNames"/> over the call's channel and
/// the flow's own variables. Only the flow's thread uses it.
/// </summary>
internal sealed class CallFlowScope : IFlowScope
{
    private readonly ICallChannel _channel;
    private readonly TimeProvider _time;

    public CallFlowScope(FlowDefinition flow, ICallChannel channel, TimeProvider time, TimeZoneInfo timeZone)
    {
        _channel = channel;
        _time = time;
        TimeZone = timeZone;
        foreach (var (name, value) in flow.Variables)
        {
            Vars[name] = value?.DeepClone();
        }
    }

    /// <summary><c>vars.*</c>: the flow's variables, webhook answers and recordings.</summary>
    public JsonObject Vars { get; } = [];

    /// <summary>Keys of the last gather, without the finish key.</summary>
    public string Digits { get; set; } = string.Empty;

    /// <summary><c>dtmf</c>, <c>speech</c> or <c>none</c>.</summary>
    public string Input { get; set; } = GatherAnswer.None;

    /// <summary>Words of the last spoken answer.</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>The recogniser's confidence in <see cref="Text"/>, or null.</summary>
    public double? Confidence { get; set; }

    /// <summary>The step running now.</summary>
    public string Step { get; set; } = string.Empty;

    /// <summary>Steps that failed so far in this call.</summary>
    public int Errors { get; set; }

    /// <summary>Call time when the last gather began: vocal counts without <c>total.</c> start here.</summary>
    public TimeSpan GatherStartedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <inheritdoc />
    public TimeZoneInfo TimeZone { get; }

    /// <inheritdoc />
    /// <remarks>Counts are doubles: the expression language has one number type.</remarks>
    public bool TryGetValue(string name, out JsonNode? value)
    {
        var signals = _channel.Signals;
        var info = _channel.Info;
        value = name switch
        {
            FlowScopeNames.Digits => JsonValue.Create(Digits),
            FlowScopeNames.Input => JsonValue.Create(Input),
            FlowScopeNames.Text => JsonValue.Create(Text),
            FlowScopeNames.Confidence => Confidence is { } confidence ? JsonValue.Create(confidence) : null,
            FlowScopeNames.Emotion => JsonValue.Create(signals.Emotion),
            FlowScopeNames.Frustration => JsonValue.Create(signals.Frustration),
            FlowScopeNames.Total => VocalCounts(TimeSpan.Zero),
            FlowScopeNames.Caller => JsonValue.Create(info.Caller),
            FlowScopeNames.Called => JsonValue.Create(info.Called),
            FlowScopeNames.Trunk => info.Trunk is null ? null : JsonValue.Create(info.Trunk),
            FlowScopeNames.CallId => JsonValue.Create(info.CallId),
            FlowScopeNames.Step => JsonValue.Create(Step),
            FlowScopeNames.Errors => JsonValue.Create((double)Errors),
            FlowScopeNames.Vars => Vars,
            _ => null,
        };
        if (value is not null || name is FlowScopeNames.Trunk or FlowScopeNames.Confidence)
        {
            return true;
        }

        foreach (var kind in FlowScopeNames.VocalEvents)
        {
            if (string.Equals(kind, name, StringComparison.Ordinal))
            {
                value = JsonValue.Create((double)signals.VocalEventCount(kind, GatherStartedAt));
                return true;
            }
        }

        return false;
    }

    /// <summary>The default webhook body: who called, where the flow is, and its variables.</summary>
    public JsonObject WebhookBody()
    {
        var info = _channel.Info;
        return new JsonObject
        {
            ["call"] = new JsonObject
            {
                ["id"] = info.CallId,
                ["caller"] = info.Caller,
                ["called"] = info.Called,
                ["trunk"] = info.Trunk,
            },
            ["step"] = Step,
            ["vars"] = Vars.DeepClone(),
        };
    }

    private JsonObject VocalCounts(TimeSpan since)
    {
        var counts = new JsonObject();
        foreach (var kind in FlowScopeNames.VocalEvents)
        {
            counts[kind] = (double)_channel.Signals.VocalEventCount(kind, since);
        }

        return counts;
    }
}
