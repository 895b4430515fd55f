namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>The outcome of <see cref="EarlyMediaPlayer.PlayAsync"/>: the status, how long the announcement is, and why it failed.</summary>
public sealed record EarlyMediaResult(EarlyMediaStatus Status, TimeSpan Length = default, string? Problem = null);
