using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Topology;
using System.Threading.Channels;
using MassTransit;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Analytics.Tests.Infrastructure;

/// <summary>One event as a consumer saw it on the wire.</summary>
internal sealed record ReceivedEvent(ICallEvent Message, Guid? MessageId, IReadOnlyList<string> MessageTypes);

/// <summary>
/// An independent consumer bus on a temporary queue, bound to the exchanges by their literal wire names
/// (not through EventTopology) so the test also checks the names the publisher really uses.
/// </summary>
internal sealed class ReceivedEventSink : IAsyncDisposable
{
    public static readonly string[] ExchangeNames =
    [
        "stepaudio.telephony.v1:CallStarted",
        "stepaudio.telephony.v1:SpeechSegmentDetected",
        "stepaudio.telephony.v1:CallEnded",
    ];

    private readonly Channel<ReceivedEvent> _received = Channel.CreateUnbounded<ReceivedEvent>();
    private readonly IBusControl _bus;

    private ReceivedEventSink(string queueName)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.UseBroker(new RabbitMqOptions { Host = RabbitMqBroker.Host, Port = RabbitMqBroker.Port });
            cfg.ReceiveEndpoint(queueName, e =>
            {
                e.Durable = false;
                e.AutoDelete = true;
                e.PrefetchCount = 1;
                e.ConcurrentMessageLimit = 1;
                e.ConfigureConsumeTopology = false;
                foreach (var exchange in ExchangeNames)
                {
                    e.Bind(exchange);
                }

                e.Handler<CallStarted>(Record);
                e.Handler<SpeechSegmentDetected>(Record);
                e.Handler<CallEnded>(Record);
            });
        });
    }

    public static async Task<ReceivedEventSink> StartAsync(string queueName)
    {
        var sink = new ReceivedEventSink(queueName);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await sink._bus.StartAsync(timeout.Token);
        return sink;
    }

    /// <summary>
    /// Waits for <paramref name="count"/> events of call <paramref name="callId"/>, ignoring other calls' events
    /// (other tests or processes may publish to the same exchanges); fails the test with what did arrive otherwise.
    /// With <paramref name="dropDuplicates"/>, a repeated MessageId is skipped as a consumer would: after an
    /// outage a publish whose confirm timed out is sent again.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedEvent>> ReceiveAsync(string callId, int count, TimeSpan timeout, bool dropDuplicates = false)
    {
        var events = new List<ReceivedEvent>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (events.Count < count)
            {
                var received = await _received.Reader.ReadAsync(cts.Token);
                if (received.Message.CallId == callId
                    && !(dropDuplicates && events.Exists(e => e.MessageId == received.MessageId)))
                {
                    events.Add(received);
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"received {events.Count} of {count} events within {timeout}: "
                + string.Join(", ", events.Select(e => e.Message.GetType().Name)));
        }

        return events;
    }

    /// <summary>Waits for <paramref name="count"/> events matching <paramref name="select"/>, in arrival order.</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> ReceiveAsync(Func<ReceivedEvent, bool> select, int count, TimeSpan timeout)
    {
        var events = new List<ReceivedEvent>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (events.Count < count)
            {
                var received = await _received.Reader.ReadAsync(cts.Token);
                if (select(received))
                {
                    events.Add(received);
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"received {events.Count} of {count} events within {timeout}");
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.StopAsync(timeout.Token);
    }

    private Task Record<T>(ConsumeContext<T> context)
        where T : class, ICallEvent
    {
        _received.Writer.TryWrite(new ReceivedEvent(context.Message, context.MessageId, [.. context.SupportedMessageTypes]));
        return Task.CompletedTask;
    }
}
