using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>Counters of the model conversation, on the process-wide "StepAudio.Telephony" meter (the one exported to Prometheus).</summary>
internal static class ConversationMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    /// <summary>Attempts that failed to start a reply, by endpoint.</summary>
    public static readonly Counter<long> AttemptFailures = Meter.CreateCounter<long>("stepaudio_conversation_attempt_failures_total");

    /// <summary>Replies that broke off after they had started, by endpoint.</summary>
    public static readonly Counter<long> BrokenReplies = Meter.CreateCounter<long>("stepaudio_conversation_broken_replies_total");
}
