namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>
/// <c>record</c>: records the caller's message (only the message, not the call); refused at run time unless message
/// recording is enabled in the gateway's configuration.
/// </summary>
public sealed record RecordStep : FlowStep
{
    /// <summary>Longest recording.</summary>
    public TimeSpan MaxLength { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Key that ends the recording; null for none.</summary>
    public char? FinishOnKey { get; init; } = '#';

    /// <summary>Caller silence that ends the recording.</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether a beep marks the start.</summary>
    public bool Beep { get; init; } = true;

    /// <summary>Variable that receives <c>path</c> and <c>seconds</c>; null discards them.</summary>
    public string? As { get; init; }

    /// <summary>Where the message is sent when it ends; null keeps it in the recording directory only.</summary>
    public RecordingWebhook? Webhook { get; init; }

    /// <inheritdoc />
    public override string Verb => "record";
}
