namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>A <see cref="LinearModel"/>'s answer for one span.</summary>
/// <param name="Best">Index of the most probable class.</param>
/// <param name="Probabilities">Per class, in <see cref="LinearModel.Classes"/> order.</param>
/// <param name="Cues">The strongest contributions to the best class.</param>
public sealed record LinearPrediction(int Best, IReadOnlyList<double> Probabilities, IReadOnlyList<CueContribution> Cues);
