namespace StepAudio.Telephony.Inference.Vad;

/// <summary>What one probability window changed in a <see cref="SpeechSegmenter"/>.</summary>
[Flags]
public enum SegmenterEvents
{
    /// <summary>Nothing changed.</summary>
    None = 0,

    /// <summary>Speech began (not raised again when a long segment is split). The cue for barge-in.</summary>
    SpeechStarted = 1,

    /// <summary>A segment closed and was returned.</summary>
    SegmentCompleted = 2,

    /// <summary>A segment closed but was shorter than the minimum speech duration, so it was dropped.</summary>
    SegmentDiscarded = 4,
}
