namespace StepAudio.Telephony.CallFlow.Flows.Validation;

/// <summary>"Did you mean" hints: candidates within a small edit distance of what was written.</summary>
internal static class NameSuggestions
{
    public const int MaxDistance = 2;

    /// <summary>The closest candidate within <see cref="MaxDistance"/> edits, or null.</summary>
    public static string? Closest(string written, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = MaxDistance + 1;
        foreach (var candidate in candidates)
        {
            var distance = Distance(written, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>" (did you mean 'x'?)" or an empty string.</summary>
    public static string Hint(string written, IEnumerable<string> candidates) =>
        Closest(written, candidates) is { } match ? $" (did you mean '{match}'?)" : string.Empty;

    /// <summary>Levenshtein distance, capped early: anything above <see cref="MaxDistance"/> is just "far".</summary>
    public static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > MaxDistance)
        {
            return MaxDistance + 1;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
