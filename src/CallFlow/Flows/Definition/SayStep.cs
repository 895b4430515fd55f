using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>say</c>: text to speech.</summary>
public sealed record SayStep : FlowStep
{
    /// <summary>What to say; may hold <c>{{ expressions }}</c>.</summary>
    public required FlowTemplate Text { get; init; }

    /// <summary>espeak-ng voice; null uses the flow's.</summary>
    public string? Voice { get; init; }

    /// <summary>How many times to say it (at least 1).</summary>
    public int Loop { get; init; } = 1;

    /// <summary>What stops it before its end; by default the caller's speech, never a key press on its own.</summary>
    public PromptInterruption Interruptible { get; init; } = PromptInterruption.Speech;

    /// <inheritdoc />
    public override string Verb => "say";
}
