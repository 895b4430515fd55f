namespace StepAudio.Telephony.Cli.Eval;

/// <summary>
/// Clips of a label folder that is neither an emotion nor a vocal event <c>eval</c> scores (e.g. <c>sneeze</c>):
/// analysed as non-speech like the vocal events, and reported as what the analysis said, outside every UAR.
/// </summary>
/// <param name="Label">The folder's label.</param>
/// <param name="Predicted">How many of its clips came out as each vocal-event prediction (or <c>none</c>).</param>
public sealed record UnscoredLabel(string Label, IReadOnlyDictionary<string, int> Predicted)
{
    /// <summary>Clips of the label.</summary>
    public int Clips => Predicted.Values.Sum();
}
