namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>The closed word lists the store indexes by, spelled as the API accepts them.</summary>
public static class Vocabulary
{
    /// <summary>A call without a flow.</summary>
    public const string NoFlow = "(none)";

    /// <summary>A call whose CallEnded has not been received.</summary>
    public const string InProgress = "in-progress";

    /// <summary>An ended call whose CallEnded names no known outcome.</summary>
    public const string UnknownOutcome = "unknown";

    /// <summary>CallEnded.Outcome values, plus <see cref="UnknownOutcome"/> and <see cref="InProgress"/>.</summary>
    public static IReadOnlyList<string> Outcomes { get; } =
        ["completed", "transferred", "abandoned", "failed", UnknownOutcome, InProgress];

    /// <summary>EmotionDetected labels, in the order of their columns; negative ones last so they win ties.</summary>
    public static IReadOnlyList<string> Emotions { get; } = ["Neutral", "Happy", "Ambiguous", "Sad", "Frustrated", "Angry"];

    /// <summary>Vocal event kinds a call can be searched by.</summary>
    public static IReadOnlyList<string> SearchableVocalEvents { get; } = ["sigh", "laugh", "crying"];

    /// <summary>The column counting the vocal events <paramref name="kind"/> (a member of <see cref="SearchableVocalEvents"/>).</summary>
    public static string VocalColumn(string kind) => kind switch
    {
        "sigh" => "sighs",
        "laugh" => "laughs",
        "crying" => "crying",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a searchable vocal event"),
    };

    /// <summary>The column counting turns with <paramref name="label"/> (a member of <see cref="Emotions"/>).</summary>
    public static string EmotionColumn(string label) => "emotion_" + label.ToLowerInvariant();

    /// <summary>The canonical spelling of <paramref name="value"/> in <paramref name="words"/>, ignoring case.</summary>
    public static string? Canonical(IReadOnlyList<string> words, string? value) =>
        value is null ? null : words.FirstOrDefault(w => string.Equals(w, value, StringComparison.OrdinalIgnoreCase));
}
