using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;
using static StepAudio.Telephony.Analytics.Tests.Outbox.OutboxTestSupport;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

[Collection(OutboxTestGroup.Name)]
public sealed class DiskCallEventQueueBoundTests
{
    private const long Segment = 1024;
    private const long Max = 4 * 1024;

    [Fact]
    public void At_the_bound_new_events_are_refused_and_accepted_again_after_removals_with_nothing_accepted_lost()
    {
        using var folder = new TempDirectory();
        using var queue = Open(Options(folder.Path, Segment, Max));
        var accepted = new List<ICallEvent>();
        var sequence = 0;
        while (true)
        {
            var next = Speech("call-bound", ++sequence);
            if (!queue.TryEnqueue(next))
            {
                break;
            }

            accepted.Add(next);
            Assert.True(sequence < 1000, "the outbox never refused an event");
        }

        Assert.InRange(queue.HeldBytes, Max - 300, Max);
        Assert.False(queue.TryEnqueue(Speech("call-bound", sequence)));

        var delivered = Take(queue, 3);
        var later = Speech("call-bound", ++sequence);
        Assert.True(queue.TryEnqueue(later));
        accepted.Add(later);

        Assert.Equal(accepted, [.. delivered, .. Take(queue)]);
    }

    [Fact]
    public void Near_the_bound_one_warning_is_logged_per_minute()
    {
        using var folder = new TempDirectory();
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var clock = new ManualTimeProvider();
        using var queue = Open(Options(folder.Path, Segment, Max), loggers, clock);
        IReadOnlyList<string> Warnings() =>
            [.. logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message)];

        var sequence = 0;
        while (queue.HeldBytes < Max * 0.7)
        {
            Assert.True(queue.TryEnqueue(Speech("call-warn", ++sequence)));
        }

        Assert.Empty(Warnings());
        clock.Advance(TimeSpan.FromSeconds(90));
        while (queue.TryEnqueue(Speech("call-warn", ++sequence)))
        {
        }

        var warning = Assert.Single(Warnings());
        Assert.Contains("Outbox at 8", warning, StringComparison.Ordinal); // 80–89 %: the first append at or past 0.8
        Assert.Contains("of 0 MiB", warning, StringComparison.Ordinal);
        Assert.Contains("00:01:30", warning, StringComparison.Ordinal); // not drained since the outbox opened

        Take(queue, 1);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(queue.TryEnqueue(Speech("call-warn", ++sequence)));
        Assert.Single(Warnings());

        Take(queue, 1);
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.True(queue.TryEnqueue(Speech("call-warn", ++sequence)));
        Assert.Equal(2, Warnings().Count);
    }

    [Fact]
    public void A_full_outbox_that_only_refuses_still_warns_once_a_minute()
    {
        using var folder = new TempDirectory();
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var clock = new ManualTimeProvider();
        using var queue = Open(Options(folder.Path, Segment, Max), loggers, clock);
        var sequence = 0;
        while (queue.TryEnqueue(Speech("call-full", ++sequence)))
        {
        }

        int WarningCount() => logs.Entries.Count(e => e.Level == LogLevel.Warning);
        Assert.Equal(1, WarningCount());
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(queue.TryEnqueue(Speech("call-full", ++sequence)));
        Assert.Equal(2, WarningCount());
        Assert.Contains("00:02:00", logs.Entries[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gauges_and_counters_report_what_the_outbox_holds_refuses_and_recovers()
    {
        using var folder = new TempDirectory();
        var values = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name.StartsWith("stepaudio.outbox.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) =>
            values[i.Name] = i is ObservableGauge<long> ? v : values.GetValueOrDefault(i.Name) + v);
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => values[i.Name] = v);
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => values[i.Name] = v);
        listener.Start();

        using (var queue = Open(Options(folder.Path, Segment, Max)))
        {
            var sequence = 0;
            while (queue.TryEnqueue(Speech("call-metrics", ++sequence)))
            {
            }

            Take(queue, 2);
            listener.RecordObservableInstruments();
            Assert.Equal(sequence - 3, values["stepaudio.outbox.events"]);
            Assert.Equal(queue.Count, values["stepaudio.outbox.events"]);
            Assert.Equal(queue.HeldBytes, values["stepaudio.outbox.bytes"]);
            Assert.Equal((double)queue.HeldBytes / Max, values["stepaudio.outbox.capacity_ratio"], 6);
            Assert.InRange(values["stepaudio.outbox.capacity_ratio"], 0.8, 1.0);
            Assert.Equal(1, values["stepaudio.outbox.rejected"]);
            Assert.Equal(0, values.GetValueOrDefault("stepaudio.outbox.recovered"));
        }

        using var reopened = Open(Options(folder.Path, Segment, Max));
        Assert.Equal(reopened.RecoveredAtStart, values["stepaudio.outbox.recovered"]);
        Assert.True(reopened.RecoveredAtStart > 0);
    }
}
