using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.DependencyInjection;
using StepAudio.Telephony.Analytics.Publishing;

namespace StepAudio.Telephony.Benchmarks.EventLoad;

/// <summary>
/// Publishes call events through the gateway's own publishing stack (AddCallEventPublishing: queue, delivery
/// loop, MassTransit with publisher confirms) to the real broker, and receives them on an independent consumer.
/// Phase 1 offers N events as fast as TryPublish accepts them and times accept → last broker confirm and
/// accept → last receipt. Phase 2 publishes at a fixed rate, stamping each event at "detection", and measures
/// the delay from that stamp to the consumer. Prints RESULT lines.
/// </summary>
internal static class EventLoadBenchmark
{
    public const string CommandName = "event-load";

    private const string BrokerHost = "127.0.0.1";
    private const ushort BrokerPort = 5672;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(EventLoadArguments arguments)
    {
        var runId = $"load-{Guid.NewGuid():N}"[..17];
        // The gateway's default queue is the disk outbox; a private folder keeps runs apart and leaves nothing behind.
        var outboxDirectory = Path.Combine(Path.GetTempPath(), runId + "-outbox");
        try
        {
            return await RunAsync(arguments, runId, outboxDirectory);
        }
        finally
        {
            if (Directory.Exists(outboxDirectory))
            {
                Directory.Delete(outboxDirectory, recursive: true);
            }
        }
    }

    private static async Task<int> RunAsync(EventLoadArguments arguments, string runId, string outboxDirectory)
    {
        var ic = CultureInfo.InvariantCulture;
        using var probe = new PublishingProbe();
        using var host = BuildPublisherHost(arguments, outboxDirectory);
        await using var consumer = await LoadConsumer.StartAsync(BrokerHost, BrokerPort, runId);
        await host.StartAsync();
        var publisher = host.Services.GetRequiredService<ICallEventPublisher>();
        Console.WriteLine($"event-load: run {runId}, broker {BrokerHost}:{BrokerPort}, queue: {(arguments.Outbox ? "disk outbox in " + outboxDirectory : "in memory (outbox off)")}");

        // Warm-up: the first publish declares exchanges and opens the channel; keep that out of the figures.
        var warm = LoadEvents.RoundRobin(runId + "-w", 2, 1, () => DateTimeOffset.UtcNow).ToList();
        Offer(publisher, warm, out _);
        await consumer.WaitForAsync(warm.Count, TimeSpan.FromSeconds(30));
        if (consumer.Received < warm.Count)
        {
            Console.Error.WriteLine("event-load: warm-up events never arrived; is RabbitMQ up (scripts/start-rabbitmq.sh)?");
            return 1;
        }

        // Phase 1: burst.
        var burst = LoadEvents.RoundRobin(runId + "-b", arguments.Events, arguments.Calls, () => DateTimeOffset.UtcNow).ToList();
        var confirmedBefore = probe.Published;
        var receivedBefore = consumer.Received;
        probe.ResetPeak();
        var clock = Stopwatch.StartNew();
        Offer(publisher, burst, out var rejected);
        var offered = clock.Elapsed;
        var confirmedAt = await WaitUntilAsync(() => probe.Published - confirmedBefore >= burst.Count, clock);
        var receivedAt = await WaitUntilAsync(() => consumer.Received - receivedBefore >= burst.Count, clock);
        var peakDepth = probe.PeakDepth;
        var peakOutboxBytes = probe.PeakOutboxBytes;

        // Phase 2: fixed rate, delay from detection to consumer.
        var paced = LoadEvents.RoundRobin(runId + "-r", arguments.Rate * arguments.RateSeconds, arguments.Calls, () => DateTimeOffset.UtcNow);
        consumer.RecordDelaysFrom(consumer.Received);
        var pacedReceivedBefore = consumer.Received;
        var pacedCount = 0;
        var pacedClock = Stopwatch.StartNew();
        foreach (var callEvent in paced)
        {
            var due = TimeSpan.FromSeconds((double)pacedCount / arguments.Rate) - pacedClock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            if (!publisher.TryPublish(callEvent))
            {
                rejected++;
            }

            pacedCount++;
        }

        await WaitUntilAsync(() => consumer.Received - pacedReceivedBefore >= pacedCount, pacedClock);
        var delays = consumer.SortedDelaysMs();
        await host.StopAsync();

        Console.WriteLine(string.Create(ic, $"RESULT burst: events={burst.Count} calls={arguments.Calls} offered_in_s={offered.TotalSeconds:F3} rejected={rejected}"));
        Console.WriteLine(string.Create(ic, $"RESULT confirmed_events_per_s={Rate(burst.Count, confirmedAt):F0} (accept -> last publisher confirm, {Seconds(confirmedAt)} s)"));
        Console.WriteLine(string.Create(ic, $"RESULT received_events_per_s={Rate(burst.Count, receivedAt):F0} (accept -> last receipt at the consumer, {Seconds(receivedAt)} s)"));
        Console.WriteLine(string.Create(ic, $"RESULT peak_queue_depth={peakDepth} events, peak_outbox_bytes={peakOutboxBytes} (burst)"));
        Console.WriteLine(string.Create(ic, $"RESULT delay_ms at {arguments.Rate} events/s for {arguments.RateSeconds} s: n={delays.Length} p50={Percentile(delays, 0.50):F1} p95={Percentile(delays, 0.95):F1} p99={Percentile(delays, 0.99):F1} max={(delays.Length > 0 ? delays[^1] : double.NaN):F1}"));
        Console.WriteLine(string.Create(ic, $"RESULT duplicates_dropped={consumer.Duplicates} out_of_order={consumer.OutOfOrder} received={consumer.Received} expected={warm.Count + burst.Count + pacedCount}"));
        var complete = consumer.Received == warm.Count + burst.Count + pacedCount && consumer.OutOfOrder == 0;
        Console.WriteLine(complete ? "RESULT: PASS (every event received once, in order per call)" : "RESULT: FAIL (events missing or out of order)");
        return complete ? 0 : 1;
    }

    private static IHost BuildPublisherHost(EventLoadArguments arguments, string outboxDirectory)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCallEventPublishing(
            rabbitMq =>
            {
                rabbitMq.Host = BrokerHost;
                rabbitMq.Port = BrokerPort;
            },
            // Room for the whole burst: the figure is delivery throughput, not how the queue rejects.
            publishing => publishing.QueueCapacity = Math.Max(publishing.QueueCapacity, arguments.Events * 2),
            outbox =>
            {
                outbox.Enabled = arguments.Outbox;
                outbox.Directory = outboxDirectory;
            });
        return builder.Build();
    }

    private static void Offer(ICallEventPublisher publisher, IEnumerable<ICallEvent> events, out int rejected)
    {
        rejected = 0;
        foreach (var callEvent in events)
        {
            // As fast as TryPublish accepts: a refused event is offered again, so the burst is complete.
            while (!publisher.TryPublish(callEvent))
            {
                rejected++;
                Thread.Sleep(1);
            }
        }
    }

    private static async Task<TimeSpan> WaitUntilAsync(Func<bool> done, Stopwatch clock)
    {
        var deadline = clock.Elapsed + DrainTimeout;
        while (!done() && clock.Elapsed < deadline)
        {
            await Task.Delay(1);
        }

        return clock.Elapsed;
    }

    private static double Rate(int count, TimeSpan elapsed) => count / elapsed.TotalSeconds;

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
