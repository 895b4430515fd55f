namespace StepAudio.Telephony.Cli.Train;

/// <summary>One clip's <see cref="Inference.Paralinguistics.Trained.ModelFeatures"/> values with its label, speaker and data set.</summary>
/// <param name="Values">In <see cref="Inference.Paralinguistics.Trained.ModelFeatures.Names"/> order.</param>
/// <param name="Label">The label folder.</param>
/// <param name="Speaker">Speaker folder (cross-validation groups by it, across data sets).</param>
/// <param name="Set">Index of the <c>--data</c> folder it came from.</param>
public sealed record FeatureRow(double[] Values, string Label, string Speaker, int Set);
