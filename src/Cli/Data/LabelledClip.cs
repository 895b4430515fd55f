namespace StepAudio.Telephony.Cli.Data;

/// <summary>One WAV file of a labelled folder.</summary>
/// <param name="Path">Full path.</param>
/// <param name="Label">Its label folder (lower case).</param>
/// <param name="Speaker">Its speaker folder, or <c>_</c> when the label folder holds the files directly (speaker unknown).</param>
public sealed record LabelledClip(string Path, string Label, string Speaker);
