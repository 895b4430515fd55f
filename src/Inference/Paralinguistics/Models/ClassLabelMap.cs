using System.Globalization;

namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>The model's class index → our emotion label or vocal-event kind (or nothing, for an ignored class).</summary>
public sealed class ClassLabelMap
{
    private const string Ignore = "ignore";

    private readonly EmotionLabel?[] _emotions;
    private readonly VocalEventKind?[] _events;

    private ClassLabelMap(EmotionLabel?[] emotions, VocalEventKind?[] events)
    {
        _emotions = emotions;
        _events = events;
    }

    /// <summary>Number of model classes.</summary>
    public int Count => _emotions.Length;

    /// <summary>Whether any class maps to an emotion.</summary>
    public bool HasEmotions => _emotions.Any(e => e is not null);

    /// <summary>The emotion of class <paramref name="index"/>, if it is one.</summary>
    public EmotionLabel? EmotionAt(int index) => _emotions[index];

    /// <summary>The vocal event of class <paramref name="index"/>, if it is one.</summary>
    public VocalEventKind? EventAt(int index) => _events[index];

    /// <summary>Parses configured names; snake_case and case are ignored (<c>throat_clear</c> = <c>ThroatClear</c>).</summary>
    /// <exception cref="InvalidOperationException">A name is neither an emotion, a vocal event nor <c>ignore</c>.</exception>
    public static ClassLabelMap Parse(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var emotions = new List<EmotionLabel?>();
        var events = new List<VocalEventKind?>();
        foreach (var raw in names)
        {
            var name = (raw ?? string.Empty).Replace("_", string.Empty, StringComparison.Ordinal).Trim();
            if (Enum.TryParse<EmotionLabel>(name, ignoreCase: true, out var emotion) && emotion != EmotionLabel.Ambiguous
                && !int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                emotions.Add(emotion);
                events.Add(null);
            }
            else if (Enum.TryParse<VocalEventKind>(name, ignoreCase: true, out var kind)
                && !int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                emotions.Add(null);
                events.Add(kind);
            }
            else if (name.Equals(Ignore, StringComparison.OrdinalIgnoreCase))
            {
                emotions.Add(null);
                events.Add(null);
            }
            else
            {
                throw new InvalidOperationException(
                    $"Paralinguistics:Model:Labels[{emotions.Count}] '{raw}' is not an emotion (neutral, happy, sad, angry, frustrated), " +
                    "a vocal event (sigh, laugh, gasp, throat_clear, cough, crying) or 'ignore'.");
            }
        }

        return new ClassLabelMap([.. emotions], [.. events]);
    }
}
