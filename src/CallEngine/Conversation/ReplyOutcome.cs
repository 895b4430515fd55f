using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>How one streamed reply went, in call time.</summary>
internal sealed class ReplyOutcome
{
    public TimeSpan RequestSentAt { get; set; }

    public TimeSpan? FirstTokenAt { get; set; }

    public TimeSpan? FirstPacketAt { get; set; }

    public string? Endpoint { get; set; }

    public bool FillerPlayed { get; set; }

    /// <summary>Whether the request was sent early, at a short pause, and kept as the turn's reply.</summary>
    public bool EarlyRequest { get; set; }

    public bool Interrupted { get; set; }

    /// <summary>Null, <c>failed</c> (no endpoint answered) or <c>broken</c> (it broke off after it began).</summary>
    public string? Failure { get; set; }

    public string? FailureDetail { get; set; }

    public System.Text.StringBuilder Heard { get; } = new();

    public TimeSpan HeardDuration { get; set; }

    public List<ReplyPart> ToolCalls { get; } = [];

    public ConversationAction? EndingAction { get; set; }

    public string Outcome => Failure ?? (Interrupted ? "interrupted" : "replied");
}
