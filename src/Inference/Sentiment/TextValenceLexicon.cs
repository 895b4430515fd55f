using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace StepAudio.Telephony.Inference.Sentiment;

/// <summary>
/// How positive or negative a turn's words are, from a small hand-written lexicon of words common on service calls
/// (written for this project and shipped under the repository's licence; no third-party list is copied). Rules in
/// the manner of VADER (Hutto &amp; Gilbert, 2014), re-implemented: a negator within the three words before flips and
/// damps a word, an intensifier before it strengthens it, the clause after "but" counts double, and the sum is
/// squashed to −1..+1 by <c>s / √(s² + 15)</c>. Returns null when no word of the lexicon occurs: no opinion, not 0.
/// </summary>
public static partial class TextValenceLexicon
{
    private const double Alpha = 15;

    private static readonly FrozenDictionary<string, double> Words = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        // Positive.
        ["good"] = 1.9, ["great"] = 3.1, ["excellent"] = 3.2, ["perfect"] = 2.9, ["wonderful"] = 3.1, ["fantastic"] = 3.2,
        ["amazing"] = 2.8, ["awesome"] = 3.1, ["nice"] = 1.8, ["fine"] = 0.8, ["okay"] = 0.6, ["ok"] = 0.6, ["happy"] = 2.7,
        ["glad"] = 2.0, ["pleased"] = 2.2, ["thanks"] = 1.9, ["thank"] = 1.5, ["grateful"] = 2.2, ["appreciate"] = 2.0,
        ["love"] = 3.0, ["like"] = 1.3, ["helpful"] = 2.0, ["helped"] = 1.6, ["resolved"] = 1.8, ["solved"] = 1.8,
        ["fixed"] = 1.5, ["works"] = 1.2, ["working"] = 1.0, ["easy"] = 1.7, ["quick"] = 1.2, ["fast"] = 1.0,
        ["satisfied"] = 2.0, ["brilliant"] = 2.9, ["lovely"] = 2.6, ["cool"] = 1.3, ["yes"] = 0.5, ["sure"] = 0.6,
        ["fair"] = 1.1, ["friendly"] = 2.0, ["kind"] = 1.8, ["best"] = 3.0, ["better"] = 1.8, ["correct"] = 1.0,
        ["right"] = 0.6, ["welcome"] = 1.6, ["relieved"] = 1.9, ["enjoy"] = 2.2, ["impressed"] = 2.3,

        // Negative.
        ["bad"] = -2.5, ["terrible"] = -3.1, ["awful"] = -3.0, ["horrible"] = -3.0, ["worst"] = -3.1, ["worse"] = -2.1,
        ["poor"] = -2.1, ["wrong"] = -2.1, ["broken"] = -2.0, ["problem"] = -1.7, ["problems"] = -1.7, ["issue"] = -1.0,
        ["error"] = -1.6, ["fail"] = -2.4, ["failed"] = -2.3, ["failing"] = -2.3, ["useless"] = -2.8, ["angry"] = -2.7,
        ["annoyed"] = -2.2, ["annoying"] = -2.3, ["frustrated"] = -2.4, ["frustrating"] = -2.4, ["upset"] = -2.2,
        ["unhappy"] = -2.3, ["sad"] = -2.1, ["disappointed"] = -2.3, ["disappointing"] = -2.3, ["ridiculous"] = -2.3,
        ["unacceptable"] = -2.8, ["complaint"] = -1.8, ["complain"] = -1.8, ["cancel"] = -1.0, ["refund"] = -0.6,
        ["late"] = -1.2, ["delay"] = -1.4, ["delayed"] = -1.5, ["waiting"] = -0.8, ["waited"] = -1.0, ["hate"] = -3.0,
        ["stupid"] = -2.4, ["slow"] = -1.4, ["overcharged"] = -2.4, ["charged"] = -0.6, ["scam"] = -3.0, ["rude"] = -2.5,
        ["lost"] = -1.3, ["missing"] = -1.3, ["never"] = -0.4, ["no"] = -0.4, ["sorry"] = -0.4, ["worried"] = -1.8,
        ["confused"] = -1.3, ["confusing"] = -1.5, ["difficult"] = -1.5, ["hard"] = -0.6, ["mess"] = -2.0,
        ["nightmare"] = -2.8, ["joke"] = -1.2, ["again"] = -0.5, ["still"] = -0.3, ["nobody"] = -1.0, ["damn"] = -1.8,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Negators = new[]
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "hardly", "barely",
        "isn't", "wasn't", "aren't", "weren't", "don't", "doesn't", "didn't", "can't", "cannot", "couldn't",
        "won't", "wouldn't", "shouldn't", "haven't", "hasn't", "hadn't", "ain't",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, double> Intensifiers = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["very"] = 0.293, ["really"] = 0.293, ["so"] = 0.293, ["extremely"] = 0.4, ["totally"] = 0.3, ["absolutely"] = 0.35,
        ["completely"] = 0.3, ["incredibly"] = 0.35, ["super"] = 0.3, ["quite"] = 0.15, ["pretty"] = 0.15,
        ["slightly"] = -0.2, ["somewhat"] = -0.2, ["kind"] = -0.1, ["little"] = -0.15,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Valence −1..+1 of <paramref name="text"/>, or null when no lexicon word occurs.</summary>
    public static double? Score(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var tokens = Tokens().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();
        var butAt = Array.LastIndexOf(tokens, "but");
        double sum = 0;
        var found = false;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!Words.TryGetValue(tokens[i], out var value) || Negators.Contains(tokens[i]) && i + 1 < tokens.Length && Words.ContainsKey(tokens[i + 1]))
            {
                // A negator that negates the next word is not itself an opinion ("no problem").
                continue;
            }

            found = true;
            if (i > 0 && Intensifiers.TryGetValue(tokens[i - 1], out var boost))
            {
                value += Math.Sign(value) * boost * Math.Abs(value);
            }

            for (var back = 1; back <= 3 && i - back >= 0; back++)
            {
                if (Negators.Contains(tokens[i - back]))
                {
                    value *= -0.74;
                    break;
                }
            }

            if (butAt >= 0)
            {
                value *= i > butAt ? 1.5 : 0.5;
            }

            sum += value;
        }

        return found ? Math.Round(sum / Math.Sqrt((sum * sum) + Alpha), 3) : null;
    }

    [GeneratedRegex("[a-z]+(?:'[a-z]+)?")]
    private static partial Regex Tokens();
}
