namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>play</c>: a recorded prompt.</summary>
public sealed record PlayStep : FlowStep
{
    /// <summary>WAV file relative to the prompt directory.</summary>
    public required string File { get; init; }

    /// <summary>How many times to play it (at least 1).</summary>
    public int Loop { get; init; } = 1;

    /// <summary>Whether the caller's speech or a key stops it.</summary>
    public bool BargeIn { get; init; } = true;

    /// <inheritdoc />
    public override string Verb => "play";
}
