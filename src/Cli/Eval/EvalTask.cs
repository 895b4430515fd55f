namespace StepAudio.Telephony.Cli.Eval;

/// <summary>One scored task of an evaluation: <c>emotion</c> or <c>vocal_event</c>.</summary>
/// <param name="Name">The task's name.</param>
/// <param name="Matrix">Its confusion matrix.</param>
public sealed record EvalTask(string Name, ConfusionMatrix Matrix);
