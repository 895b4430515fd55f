namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>pause</c>: silence for a while; the caller's keys or speech do not end it.</summary>
public sealed record PauseStep : FlowStep
{
    /// <summary>The longest pause a flow may write: longer waits belong in a gather or on hold music.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromMinutes(10);

    /// <summary>How long the caller hears nothing.</summary>
    public required TimeSpan Length { get; init; }

    /// <inheritdoc />
    public override string Verb => "pause";
}
