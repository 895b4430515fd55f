using System.Buffers;

namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// Chooses, frame by frame, among each voiced frame's octave candidates (<see cref="YinPitchTracker.Candidates"/>) the
/// path of least cost by dynamic programming (Viterbi), as Praat's pitch path finder does (Boersma 1993): a candidate
/// costs how much worse its dip is than the frame's own choice, plus <see cref="AlternativeCost"/> for not being that
/// choice; moving between voiced frames costs <see cref="OctaveJumpCost"/> per octave. A voice glides; a tracker that
/// lost the fundamental (a telephone line removes it below 300 Hz) jumps by octaves for a few frames, and on the path
/// those frames take the candidate that continues their neighbours. Frames up to <see cref="MaxGapFrames"/> apart are
/// one path (a consonant does not move the voice an octave); a longer pause starts a new one: a phrase. Every candidate
/// also costs <see cref="RegisterCost"/> per whole octave from its phrase's register (the median of the phrase's own
/// choices; the whole span's when the phrase is short or its own lies over <see cref="MaxPhraseRegisterOctaves"/> away),
/// so a long run read an octave high is pulled back where continuity alone would keep it.
/// </summary>
internal static class PitchPathFinder
{
    // Tried on 48 EmoDB sentences of 8 speakers through G.711 (not the speakers of the committed test clips): octave
    // errors 4.2 % without the path, 2.3 % with these values; a jump cost of 0.3 or 0.45, an alternative cost of 0.02
    // or 0.07, a bridge of 5 frames, or a fifth candidate at four periods were all worse.

    /// <summary>Cost of one octave between consecutive voiced frames (Praat's default octave-jump cost).</summary>
    public const double OctaveJumpCost = 0.35;

    /// <summary>Extra cost of a candidate that is not the frame's own choice.</summary>
    public const double AlternativeCost = 0.05;

    /// <summary>
    /// Cost per whole octave (the distance rounded to octaves) between a candidate and the median of its phrase's own
    /// choices. A run of frames read an octave high continues itself on the local costs alone; the phrase's register
    /// pulls it back. Rounded to whole octaves so that intonation within half an octave of the register costs nothing
    /// (a real rise is not flattened) and the twelfth-lower candidate gains nothing from sitting nearer the median
    /// than an octave does. Per phrase, so a new phrase in another register after a pause keeps it. Chosen on the
    /// 48-sentence tuning set (scripts/make-pitch-set.sh with SKIP_HELD_OUT=1) among 0, 0.05, 0.08, 0.1, 0.12, 0.15
    /// and 0.2: octave errors 2.28, 2.54, 2.01, 1.80, 1.75, 2.41 and 2.85 % (the curve is bumpy: a few runs of frames
    /// flip together); 0.1 with the distance not rounded (and one median for the whole span, as first tried) 2.01 %;
    /// every phrase with its own register however short 2.72 %.
    /// </summary>
    public const double RegisterCost = 0.1;

    /// <summary>
    /// Voiced frames a phrase needs to set its own register (0.3 s of voice); a shorter one is judged against the median
    /// of the whole span's own choices, since a few frames read an octave high would otherwise be their own register.
    /// </summary>
    public const int MinPhraseFrames = 30;

    /// <summary>
    /// Octaves a phrase's register may sit from the whole span's before the span's is used instead. A new phrase an
    /// octave up after a pause keeps its own (a voice can move that far); one a twelfth or two octaves away is not
    /// intonation but a phrase whose own choices were mostly three or four times its fundamental, which a telephone band
    /// that carries only every third harmonic of a low voice gives (a 126 Hz counting voice read at 378 Hz for 0.2 s,
    /// the spectrum there favouring 378 Hz by 4–5 dB). Set between an octave (1) and a twelfth (1.58), not tuned: on
    /// Coswara (README "Pitch through the phone line") 1.1 and 1.25 give the same tracks, 1.5 keeps part of those
    /// phrases, and the EmoDB sets, whose 2 s sentences are about one phrase each, do not move.
    /// </summary>
    public const double MaxPhraseRegisterOctaves = 1.25;

    /// <summary>Unvoiced frames (10 ms each) a path may bridge.</summary>
    public const int MaxGapFrames = 25;

    /// <summary>
    /// Cost per 10 dB a candidate's <see cref="HarmonicEvidence"/> falls short of its frame's best, paid only by a
    /// candidate above the best-evidenced one (an octave-high reading). Upward only because only that direction's
    /// evidence holds at any voice: twice the fundamental finds the odd harmonics exactly half-way between its own
    /// (about 0 dB), whatever the window; telling the fundamental from half of it needs the troughs a quarter of the
    /// fundamental from the harmonics resolved, which a 64 ms window does not do for low voices (an 85 Hz /e/ read
    /// 170 Hz when both directions paid). Chosen on the 48-sentence tuning set among 0.2, 0.5, 1, 2, 3, 5: octave
    /// errors 1.88, 1.84, 1.80, 1.75, 1.80, 1.75 % (1.80 % without; both directions at 0.1–1: 2.15–2.41 %).
    /// </summary>
    public const double HarmonicEvidenceCost = 2;

    private const int K = YinPitchTracker.Candidates;

    /// <summary>A candidate this much above the frame's best-evidenced one counts as reading it high.</summary>
    private const float AboveRatio = 1.2f;

    /// <summary>Rewrites <paramref name="f0"/> (0 = unvoiced) with the best path through the candidates.</summary>
    /// <param name="f0">One value per frame, the frame's own choice (candidate 0).</param>
    /// <param name="candidateHz">K per frame (0 = none).</param>
    /// <param name="candidateDip">K per frame.</param>
    /// <param name="candidateEvidence">Empty, or K per frame: <see cref="HarmonicEvidence"/> of each candidate, dB.</param>
    /// <param name="harmonicCost">Cost per 10 dB (<see cref="HarmonicEvidenceCost"/> as shipped; 0: none).</param>
    public static void Choose(
        Span<float> f0, ReadOnlySpan<float> candidateHz, ReadOnlySpan<float> candidateDip, ReadOnlySpan<float> candidateEvidence = default,
        double harmonicCost = 0)
    {
        var count = f0.Length;
        var total = ArrayPool<double>.Shared.Rent(count * K);
        var from = ArrayPool<int>.Shared.Rent(count * K);
        var sorted = ArrayPool<float>.Shared.Rent(count);
        try
        {
            var first = -1;
            var last = -1;
            // The whole span's register, from the own choices before any phrase is rewritten.
            var spanRegister = OwnChoiceMedian(f0, candidateHz, 0, count - 1, sorted, out _);
            for (var i = 0; i <= count; i++)
            {
                var voiced = i < count && IsVoiced(f0, candidateHz, i);
                if (i < count && !voiced)
                {
                    continue;
                }

                if (first >= 0 && (i == count || i - last > MaxGapFrames))
                {
                    ChoosePhrase(f0, candidateHz, candidateDip, candidateEvidence, harmonicCost, first, last, total, from, sorted, spanRegister);
                    first = -1;
                }

                if (i == count)
                {
                    break;
                }

                first = first < 0 ? i : first;
                last = i;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(total);
            ArrayPool<int>.Shared.Return(from);
            ArrayPool<float>.Shared.Return(sorted);
        }
    }

    private static bool IsVoiced(ReadOnlySpan<float> f0, ReadOnlySpan<float> candidateHz, int i) => f0[i] > 0 && candidateHz[i * K] > 0;

    /// <summary>The Viterbi pass over one phrase: the voiced frames from <paramref name="first"/> to <paramref name="last"/>.</summary>
    private static void ChoosePhrase(
        Span<float> f0, ReadOnlySpan<float> candidateHz, ReadOnlySpan<float> candidateDip, ReadOnlySpan<float> candidateEvidence,
        double harmonicCost, int first, int last, double[] total, int[] from, float[] sorted, double spanRegister)
    {
        var withEvidence = candidateEvidence.Length > 0 && harmonicCost > 0;
        var register = OwnChoiceMedian(f0, candidateHz, first, last, sorted, out var voiced);
        if (voiced < MinPhraseFrames || Math.Abs(Math.Log2(register / spanRegister)) > MaxPhraseRegisterOctaves)
        {
            register = spanRegister;
        }

        var previous = -1;
        for (var i = first; i <= last; i++)
        {
            if (!IsVoiced(f0, candidateHz, i))
            {
                continue;
            }

            var bestEvidence = float.NegativeInfinity;
            var bestEvidenceHz = 0f;
            if (withEvidence)
            {
                for (var j = 0; j < K; j++)
                {
                    if (candidateHz[(i * K) + j] > 0 && candidateEvidence[(i * K) + j] > bestEvidence)
                    {
                        bestEvidence = candidateEvidence[(i * K) + j];
                        bestEvidenceHz = candidateHz[(i * K) + j];
                    }
                }
            }

            for (var j = 0; j < K; j++)
            {
                var index = (i * K) + j;
                var hz = candidateHz[index];
                from[index] = -1;
                if (hz <= 0)
                {
                    total[index] = double.PositiveInfinity;
                    continue;
                }

                var local = Math.Max(0, candidateDip[index] - candidateDip[i * K]) + (j == 0 ? 0 : AlternativeCost)
                    + (RegisterCost * Math.Abs(Math.Round(Math.Log2(hz / register))))
                    + (withEvidence && hz > bestEvidenceHz * AboveRatio ? harmonicCost * (bestEvidence - candidateEvidence[index]) / 10 : 0);
                if (previous < 0)
                {
                    total[index] = local;
                    continue;
                }

                var best = double.PositiveInfinity;
                for (var p = 0; p < K; p++)
                {
                    var before = (previous * K) + p;
                    if (double.IsPositiveInfinity(total[before]))
                    {
                        continue;
                    }

                    var cost = total[before] + (OctaveJumpCost * Math.Abs(Math.Log2(hz / candidateHz[before])));
                    if (cost < best)
                    {
                        best = cost;
                        from[index] = before;
                    }
                }

                total[index] = best + local;
            }

            previous = i;
        }

        Backtrack(f0, candidateHz, total, from, first, last);
    }

    /// <summary>The median of the own choices of the voiced frames from <paramref name="first"/> to <paramref name="last"/>: the register the speaker is in.</summary>
    private static double OwnChoiceMedian(ReadOnlySpan<float> f0, ReadOnlySpan<float> candidateHz, int first, int last, float[] sorted, out int voiced)
    {
        var n = 0;
        for (var i = first; i <= last; i++)
        {
            if (IsVoiced(f0, candidateHz, i))
            {
                sorted[n++] = f0[i];
            }
        }

        voiced = n;
        var span = sorted.AsSpan(0, n);
        span.Sort();
        return n > 0 ? span[n / 2] : 0; // 0: nothing voiced, and no phrase will ask
    }

    private static void Backtrack(Span<float> f0, ReadOnlySpan<float> candidateHz, double[] total, int[] from, int start, int last)
    {
        var state = last * K;
        for (var j = 1; j < K; j++)
        {
            if (total[(last * K) + j] < total[state])
            {
                state = (last * K) + j;
            }
        }

        while (state >= 0)
        {
            var frame = state / K;
            f0[frame] = candidateHz[state];
            if (frame <= start)
            {
                break;
            }

            state = from[state];
        }
    }
}
