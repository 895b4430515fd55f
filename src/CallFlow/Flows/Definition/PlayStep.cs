namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>play</c>: a recorded prompt.</summary>
public sealed record PlayStep : FlowStep
{
    /// <summary>WAV file relative to the prompt directory.</summary>
    public required string File { get; init; }

    /// <summary>How many times to play it (at least 1).</summary>
    public int Loop { get; init; } = 1;

    /// <summary>What stops it before its end; by default the caller's speech, never a key press on its own.</summary>
    public PromptInterruption Interruptible { get; init; } = PromptInterruption.Speech;

    /// <inheritdoc />
    public override string Verb => "play";
}
