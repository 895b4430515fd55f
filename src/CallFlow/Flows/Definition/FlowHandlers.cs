namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>The flow-wide handlers; each is null when the flow does not set it.</summary>
public sealed record FlowHandlers
{
    /// <summary><c>on_frustration</c>.</summary>
    public FrustrationHandler? OnFrustration { get; init; }

    /// <summary><c>on_silence</c>.</summary>
    public SilenceHandler? OnSilence { get; init; }

    /// <summary><c>on_error</c>.</summary>
    public ErrorHandler? OnError { get; init; }
}
