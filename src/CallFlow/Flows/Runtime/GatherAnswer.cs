using System.Globalization;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>What a gather collected: keys (without the finish key), a spoken answer, or nothing and why.</summary>
/// <param name="Input"><see cref="Dtmf"/>, <see cref="Speech"/> or <see cref="None"/>.</param>
/// <param name="Digits">The keys of a <see cref="Dtmf"/> answer.</param>
/// <param name="SpeechDuration">How long a <see cref="Speech"/> answer lasted.</param>
/// <param name="Turn">The caller's turn a spoken answer was, when the channel knows turns.</param>
/// <param name="Why">For <see cref="None"/>: what happened instead, for the trace.</param>
internal sealed record GatherAnswer(string Input, string Digits, TimeSpan SpeechDuration, CallerTurn? Turn = null, string Why = "")
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

    public static GatherAnswer Spoken(TimeSpan duration, CallerTurn? turn = null) => new(Speech, string.Empty, duration, turn);

    public static GatherAnswer Nothing(string why) => new(None, string.Empty, TimeSpan.Zero, Why: why);

    /// <summary>The trace's account of the answer: <c>dtmf '12'</c>, <c>speech 1.2s (turn 3, emotion angry)</c>, <c>none: …</c>.</summary>
    public string Describe() => Input switch
    {
        Dtmf => $"dtmf '{Digits}'",
        Speech => string.Create(CultureInfo.InvariantCulture, $"speech {SpeechDuration.TotalSeconds:0.0}s") + DescribeTurn(),
        _ => $"none: {Why}",
    };

    private string DescribeTurn() => Turn switch
    {
        null => string.Empty,
        { Analysis: TurnAnalysis.Done } t => string.Create(CultureInfo.InvariantCulture, $" (turn {t.Number}, emotion {t.EmotionName})"),
        { Analysis: TurnAnalysis.NotReady } t => string.Create(CultureInfo.InvariantCulture, $" (turn {t.Number}; its analysis was not ready in time: emotion unknown)"),
        var t => string.Create(CultureInfo.InvariantCulture, $" (turn {t.Number}; not analysed: emotion unknown)"),
    };
}
