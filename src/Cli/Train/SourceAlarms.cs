using System.Globalization;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// The cross-validated false alarms of each data set split by the source of its <c>none</c> clips (the speaker name's
/// prefix: <c>emogator</c>, <c>emodb</c>, <c>coswara</c>), printed when a set mixes sources: Coswara's breathing
/// joins EmoGator's non-target bursts and its counting joins EmoDB's sentences, and each source's alarm rate must stay
/// comparable with the figures measured before it was added.
/// </summary>
public static class SourceAlarms
{
    /// <summary>The source of <paramref name="speaker"/>: the part of its name before the first <c>-</c>.</summary>
    public static string SourceOf(string speaker)
    {
        ArgumentNullException.ThrowIfNull(speaker);
        var dash = speaker.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? speaker[..dash] : speaker;
    }

    /// <summary>One line per data set and source of <c>none</c> clips, for the sets whose none clips come from two sources or more.</summary>
    /// <param name="decisions">Held-out rows with the class their fold's model decided.</param>
    /// <param name="setNames">Display name of each data set (index of <c>--data</c>).</param>
    /// <param name="output">Where the lines go.</param>
    public static void Write(IReadOnlyCollection<(FeatureRow Row, string Predicted)> decisions, IReadOnlyList<string> setNames, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(setNames);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var set in decisions.Where(d => d.Row.Label == "none").GroupBy(d => d.Row.Set).OrderBy(g => g.Key))
        {
            var sources = set.GroupBy(d => SourceOf(d.Row.Speaker)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            if (sources.Count < 2)
            {
                continue;
            }

            foreach (var source in sources)
            {
                var clips = source.Count();
                var alarms = source.Count(d => d.Predicted != "none");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"false alarms {setNames[set.Key]}, {source.Key} none clips: {alarms} of {clips} raised an event ({100.0 * alarms / clips:F1} %)"));
            }
        }
    }
}
