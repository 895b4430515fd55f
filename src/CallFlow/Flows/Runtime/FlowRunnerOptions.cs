namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Limits and defaults of <see cref="FlowRunner"/>.</summary>
public sealed class FlowRunnerOptions
{
    /// <summary>
    /// Most steps one call may run. A flow whose branches loop without waiting for the caller (a validation cannot
    /// always see that) would otherwise spin forever; past this the call fails with "step limit".
    /// </summary>
    public int MaxSteps { get; set; } = 1000;

    /// <summary>Time zone of <c>open(...)</c> schedules that name none.</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Local;

    /// <summary>
    /// Longest wait for the end of an answer once the caller started speaking in a <c>gather</c>; bounds a turn
    /// detector that never reports the end (the first-input timeout no longer applies once speech began).
    /// </summary>
    public TimeSpan MaxUtterance { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where the gateway's recording directory is served from (the operator's web server), for <c>record</c>
    /// webhooks with <c>mode: link</c>: the link is this URL plus the file's name. Null: links cannot be sent.
    /// </summary>
    public Uri? RecordingBaseUrl { get; set; }
}
