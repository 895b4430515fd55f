namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>A REFER in progress: its implicit subscription (RFC 3515 §2.4.4) reports into <see cref="Completion"/>.</summary>
internal sealed class TransferAttempt
{
    public TransferAttempt(IProgress<int>? progress) => Progress = progress;

    public TaskCompletionSource<TransferResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Receives every sipfrag status code (100, 180, 200...) as it arrives.</summary>
    public IProgress<int>? Progress { get; }

    /// <summary>Last sipfrag status seen; 0 before the first NOTIFY.</summary>
    public int LastStatus { get; set; }
}
