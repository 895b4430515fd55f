using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// Instruments of early model requests (<c>Conversation:EarlyRequestPause</c>), on the process-wide
/// "StepAudio.Telephony" meter: every request started is later either used or cancelled, so an operator can see what
/// the setting costs (requests paid for and thrown away) against what it buys.
/// </summary>
internal static class EarlyRequestMetrics
{
    /// <summary>Tag value: the caller spoke again after the pause, so it was not the end of their turn.</summary>
    public const string SpeechResumed = "speech_resumed";

    /// <summary>Tag value: the request had already failed (no endpoint answered) when the turn ended; the turn is asked afresh.</summary>
    public const string Failed = "failed";

    /// <summary>Tag value: the turn ended another way (a key, a limit, the call ending).</summary>
    public const string Other = "other";

    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Started = Meter.CreateCounter<long>(
        "stepaudio.conversation.early_requests.started", unit: "{request}", description: "Model requests sent at a short pause inside the caller's speech.");

    public static readonly Counter<long> Used = Meter.CreateCounter<long>(
        "stepaudio.conversation.early_requests.used", unit: "{request}", description: "Early requests kept as the turn's reply: the turn ended at their pause.");

    public static readonly Counter<long> Cancelled = Meter.CreateCounter<long>(
        "stepaudio.conversation.early_requests.cancelled", unit: "{request}", description: "Early requests dropped unplayed, by reason (speech_resumed, failed, other).");

    public static void Cancel(string reason) => Cancelled.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
