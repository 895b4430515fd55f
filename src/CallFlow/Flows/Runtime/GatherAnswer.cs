using System.Globalization;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>What a gather collected: keys (without the finish key), a spoken answer (with its words when recognised), or nothing and why.</summary>
/// <param name="Input"><see cref="Dtmf"/>, <see cref="Speech"/> or <see cref="None"/>.</param>
/// <param name="Digits">The keys of a <see cref="Dtmf"/> answer.</param>
/// <param name="SpeechDuration">How long a <see cref="Speech"/> answer lasted.</param>
/// <param name="Turn">The caller's turn a spoken answer was, when the channel knows turns.</param>
/// <param name="Why">For <see cref="None"/>: what happened instead, for the trace.</param>
/// <param name="Text">The recognised words of a spoken answer; empty without a recogniser.</param>
/// <param name="Confidence">The recogniser's confidence in <paramref name="Text"/>, when it gives one.</param>
internal sealed record GatherAnswer(
    string Input, string Digits, TimeSpan SpeechDuration, CallerTurn? Turn = null, string Why = "", string Text = "", double? Confidence = null)
{
    /// <summary>Value of <c>input</c> after keys.</summary>
    public const string Dtmf = "dtmf";

    /// <summary>Value of <c>input</c> after a spoken answer.</summary>
    public const string Speech = "speech";

    /// <summary>Value of <c>input</c> before any answer or after none came.</summary>
    public const string None = "none";

    /// <summary>Whether the caller answered.</summary>
    public bool Answered => Input != None;

    public static GatherAnswer Keys(string digits) => new(Dtmf, digits, TimeSpan.Zero);

    public static GatherAnswer Spoken(TimeSpan duration, CallerTurn? turn = null, string? text = null, double? confidence = null) =>
        new(Speech, string.Empty, duration, turn, Text: text ?? string.Empty, Confidence: confidence);

    public static GatherAnswer Nothing(string why) => new(None, string.Empty, TimeSpan.Zero, Why: why);

    /// <summary>
    /// The trace's account of the answer: <c>dtmf '12'</c>, <c>speech 1.2s (turn 3, emotion angry), words recognised</c>,
    /// <c>none: …</c>. It says that words came and how sure the recogniser was, never the words: traces reach the log.
    /// </summary>
    public string Describe() => Input switch
    {
        Dtmf => $"dtmf '{Digits}'",
        Speech => string.Create(CultureInfo.InvariantCulture, $"speech {SpeechDuration.TotalSeconds:0.0}s") + DescribeTurn() + DescribeWords(),
        _ => $"none: {Why}",
    };

    private string DescribeTurn() => Turn switch
    {
        null => string.Empty,
        { Analysis: TurnAnalysis.Done } t => string.Create(CultureInfo.InvariantCulture, $" (turn {t.Number}, emotion {t.EmotionName})"),
        { Analysis: TurnAnalysis.NotReady } t => string.Create(CultureInfo.InvariantCulture, $" (turn {t.Number}; its analysis was not ready in time: emotion unknown)"),
        var t => string.Create(CultureInfo.InvariantCulture, $" (turn {t.Number}; not analysed: emotion unknown)"),
    };

    private string DescribeWords() => Text.Length == 0 ? string.Empty
        : Confidence is { } confidence ? string.Create(CultureInfo.InvariantCulture, $", words recognised (confidence {confidence:0.00})")
        : ", words recognised";
}
