namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>What a gather collected: keys (without the finish key) or a spoken answer (with its words when recognised).</summary>
internal sealed record GatherAnswer(string Input, string Digits, TimeSpan SpeechDuration, string Text = "", double? Confidence = null)
{
    /// <summary>Value of <c>input</c> after keys.</summary>
    public const string Dtmf = "dtmf";

    /// <summary>Value of <c>input</c> after a spoken answer.</summary>
    public const string Speech = "speech";

    /// <summary>Value of <c>input</c> before any answer or after none came.</summary>
    public const string None = "none";

    public static GatherAnswer Keys(string digits) => new(Dtmf, digits, TimeSpan.Zero);

    public static GatherAnswer Spoken(TimeSpan duration, string? text = null, double? confidence = null) =>
        new(Speech, string.Empty, duration, text ?? string.Empty, confidence);
}
