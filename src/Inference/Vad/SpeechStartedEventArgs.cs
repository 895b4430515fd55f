namespace StepAudio.Telephony.Inference.Vad;

/// <summary>Speech began in a call's audio.</summary>
/// <param name="speechStartSample">First sample of the window where speech began, at 16 kHz since the stream began.</param>
public sealed class SpeechStartedEventArgs(long speechStartSample) : EventArgs
{
    /// <summary>First sample of the window where speech began, at 16 kHz since the stream began.</summary>
    public long SpeechStartSample { get; } = speechStartSample;
}
