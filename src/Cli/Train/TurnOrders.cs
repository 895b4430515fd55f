namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Other orders in which a speaker's clips can reach the caller's running baseline, for training only. A call hears
/// its caller's turns in whatever order the caller speaks them, and an evaluation set in file-name order, which may
/// interleave the emotions (EmoDB's names) or group them (a set named by label, or RAVDESS's codes: every neutral clip
/// first). A model that only ever saw one order learns that order's baselines: on the 81 held-out EmoDB sentences the
/// model trained on file-name order alone scored UAR 0.710 in that order, 0.695 with each speaker's neutral clips first,
/// 0.638 with the angry ones first and 0.576 with no speaker known. Order k cycles through three
/// kinds: a shuffle of the clips; the labels in blocks (a caller in one mood for a while), the blocks in a shuffled
/// order; and no baseline at all (the population's norms, as a call's first turn and an unlabelled speaker are judged).
/// Every order is seeded by the speaker and k, so a run is reproducible. Not used by the shipped model: it costs the
/// counting's neutral (README "A caller not heard yet, and the order of turns"); the no-baseline judgement ships as
/// the first-turn model (<see cref="Unheard"/>) instead.
/// </summary>
public static class TurnOrders
{
    /// <summary>
    /// <see cref="FeatureRow.TurnOrder"/> of a clip judged as if its caller had not been heard yet (the population's
    /// norms): the training rows of an emotion model's first-turn model (<c>--first-turn-model</c>).
    /// </summary>
    public const int Unheard = -1;

    /// <summary>Changes whenever the orders below do, so that cached rows of other orders are measured again.</summary>
    public const int Scheme = 1;

    /// <summary>How the <paramref name="k"/>-th other order (k ≥ 1) is made.</summary>
    public static TurnOrderKind KindOf(int k) => (k % 3) switch
    {
        1 => TurnOrderKind.Shuffled,
        2 => TurnOrderKind.LabelBlocks,
        _ => TurnOrderKind.NoBaseline,
    };

    /// <summary>
    /// Indices into <paramref name="labels"/> (a speaker's clips in file-name order, by label) in the
    /// <paramref name="k"/>-th other order; <paramref name="k"/> = 0 is file-name order itself.
    /// </summary>
    public static int[] Order(IReadOnlyList<string> labels, string speaker, int k)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var indices = Enumerable.Range(0, labels.Count).ToArray();
        if (k == 0)
        {
            return indices;
        }

        var random = new Random(Seed(speaker, k));
        switch (KindOf(k))
        {
            case TurnOrderKind.Shuffled:
                random.Shuffle(indices);
                return indices;
            case TurnOrderKind.LabelBlocks:
                var blocks = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                random.Shuffle(blocks);
                return [.. blocks.SelectMany(label => indices.Where(i => labels[i] == label))];
            default:
                return indices;
        }
    }

    /// <summary>A seed from the speaker's name and k that does not depend on the runtime's string hashing.</summary>
    private static int Seed(string speaker, int k)
    {
        var hash = 17;
        foreach (var c in speaker)
        {
            hash = unchecked((hash * 31) + c);
        }

        return unchecked((hash * 31) + k);
    }
}
