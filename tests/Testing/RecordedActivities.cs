using System.Collections.Concurrent;
using System.Diagnostics;

namespace StepAudio.Telephony.Testing;

/// <summary>
/// Records every activity of one ActivitySource that stops while it lives, as an OpenTelemetry exporter would receive
/// them. The listener is process-wide: tests running in parallel add theirs, so filter on a tag of your own.
/// </summary>
public sealed class RecordedActivities : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public RecordedActivities(string sourceName)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The stopped activities whose <paramref name="tag"/> satisfies <paramref name="match"/>, in stop order.</summary>
    public IReadOnlyList<Activity> Where(string tag, Func<string?, bool> match) =>
        [.. _stopped.Where(a => match(a.GetTagItem(tag) as string))];

    public void Dispose() => _listener.Dispose();
}
