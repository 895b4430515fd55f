namespace StepAudio.Telephony.Cli.Eval;

/// <summary>The result of evaluating one folder.</summary>
/// <param name="Folder">The folder evaluated.</param>
/// <param name="Tasks">Tasks that had at least one file.</param>
/// <param name="Unreadable">Files that could not be read, with the reason.</param>
public sealed record EvalReport(string Folder, IReadOnlyList<EvalTask> Tasks, IReadOnlyList<string> Unreadable);
