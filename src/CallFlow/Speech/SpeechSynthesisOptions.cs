namespace StepAudio.Telephony.CallFlow.Speech;

/// <summary>Settings of the local text-to-speech engine (section <c>Speech</c>).</summary>
public sealed class SpeechSynthesisOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Speech";

    /// <summary>The espeak-ng executable (on PATH by default).</summary>
    public string EspeakPath { get; set; } = "espeak-ng";

    /// <summary>The sox executable, used to bring espeak-ng's 22.05 kHz output to 8 kHz.</summary>
    public string SoxPath { get; set; } = "sox";

    /// <summary>espeak-ng voice name, for example <c>en-us</c> or <c>en-gb</c>.</summary>
    public string Voice { get; set; } = "en-us";

    /// <summary>Speaking rate in words per minute.</summary>
    public int WordsPerMinute { get; set; } = 160;

    /// <summary>How many distinct prompts to keep rendered in memory.</summary>
    public int CacheEntries { get; set; } = 256;

    /// <summary>Longest time one rendering may take before it is abandoned.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
}
