namespace StepAudio.Telephony.Cli.Train;

/// <summary>One clip's <see cref="Inference.Paralinguistics.Trained.ModelFeatures"/> values with its label, speaker and data set.</summary>
/// <param name="Values">In <see cref="Inference.Paralinguistics.Trained.ModelFeatures.Names"/> order.</param>
/// <param name="Label">The label folder.</param>
/// <param name="Speaker">Speaker folder (cross-validation groups by it, across data sets).</param>
/// <param name="Set">Index of the <c>--data</c> folder it came from.</param>
/// <param name="TurnOrder">
/// 0: measured with the caller's baseline in file-name order, as <c>eval</c> and a call measure it; k &gt; 0: the same clip
/// measured in <see cref="TurnOrders"/>' k-th other order, or (<see cref="TurnOrders.Unheard"/>) as if its caller had
/// not been heard, a training row only (never scored in cross-validation).
/// </param>
/// <param name="TurnsHeard">How many of the caller's turns the baseline had learned from when the clip was judged (0: none, the population's norms).</param>
public sealed record FeatureRow(double[] Values, string Label, string Speaker, int Set, int TurnOrder = 0, int TurnsHeard = 0);
