namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>Runs the whole paralinguistic analysis on one span of audio. Implementations are thread-safe.</summary>
public interface ISegmentAnalyzer
{
    /// <summary>Analyses <paramref name="pcm16k"/> (16 kHz float) that started <paramref name="start"/> into the call.</summary>
    /// <param name="pcm16k">The span's samples; any finite values, any length (an empty span gives a neutral result).</param>
    /// <param name="start">Offset of the first sample from the start of the call's audio.</param>
    /// <param name="isSpeech">Whether the VAD called it speech.</param>
    /// <param name="speaker">
    /// The caller's running voice baseline (one per call): speech is judged against the caller's earlier turns, then
    /// added to them. <see langword="null"/> judges against population norms and remembers nothing.
    /// </param>
    SegmentAnalysis Analyze(ReadOnlySpan<float> pcm16k, TimeSpan start, bool isSpeech, Emotion.SpeakerBaseline? speaker = null);
}
