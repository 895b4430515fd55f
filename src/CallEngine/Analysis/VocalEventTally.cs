using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>
/// The vocal events heard on one call: counts per kind for <c>CallEnded</c>, and when each began, for a flow that asks
/// how many sighs came since a step started. Not thread-safe: used under the call's lock.
/// </summary>
internal sealed class VocalEventTally
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<VocalEvent> _timeline = [];

    public void Add(VocalEvent vocal)
    {
        var kind = vocal.Kind.ToString();
        _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        _timeline.Add(vocal);
    }

    /// <summary>How many <paramref name="kind"/> sounds began at or after <paramref name="since"/> (media time).</summary>
    public int Count(VocalEventKind kind, TimeSpan since)
    {
        var count = 0;
        foreach (var vocal in _timeline)
        {
            count += vocal.Kind == kind && vocal.Start >= since ? 1 : 0;
        }

        return count;
    }

    /// <summary>A copy of the counts per kind's name.</summary>
    public Dictionary<string, int> Counts() => new(_counts, StringComparer.Ordinal);
}
