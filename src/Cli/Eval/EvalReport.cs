namespace StepAudio.Telephony.Cli.Eval;

/// <summary>The result of evaluating one folder.</summary>
/// <param name="Folder">The folder evaluated.</param>
/// <param name="Tasks">Tasks that had at least one file.</param>
/// <param name="Unreadable">Files that could not be read, with the reason.</param>
/// <param name="Unscored">Label folders no task scores, with what the analysis said of their clips.</param>
/// <param name="Notes">What the reader must know to read the figures (e.g. labels the configured model cannot report).</param>
public sealed record EvalReport(
    string Folder, IReadOnlyList<EvalTask> Tasks, IReadOnlyList<string> Unreadable, IReadOnlyList<UnscoredLabel>? Unscored = null, IReadOnlyList<string>? Notes = null);
