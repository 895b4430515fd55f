namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>
/// One measure's part in a trained model's decision: its weight for the chosen class times the measure's standardised
/// value (how many training-set standard deviations it stood from the mean, or from the caller's own baseline).
/// Positive pushed towards the decision, negative against it. For a tree model: the measure's share of the chosen
/// class's score along the trees' paths (see <see cref="Trained.TreeEnsemble.AddContributions"/>).
/// </summary>
/// <param name="Cue">The measure's name (see <see cref="Trained.ModelFeatures.Names"/>).</param>
/// <param name="Value">The measure as observed, in its own unit.</param>
/// <param name="Contribution">Weight × standardised value (linear) or path attribution (trees), in logits.</param>
public sealed record CueContribution(string Cue, double Value, double Contribution);
