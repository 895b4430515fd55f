namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>What a model takes as input.</summary>
public enum AudioInputFormat
{
    /// <summary>Raw 16 kHz samples, <c>f32[1, N]</c> (emotion2vec style).</summary>
    Waveform,

    /// <summary>Log-mel filterbank frames, <c>f32[1, T, F]</c> (kaldi fbank style, e.g. SenseVoice front ends).</summary>
    LogMelTimeFirst,

    /// <summary>Log-mel filterbank frames, <c>f32[1, F, T]</c> (CED style).</summary>
    LogMelFeatureFirst,
}
