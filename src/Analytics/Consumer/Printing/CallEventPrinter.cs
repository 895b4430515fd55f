using MassTransit;
using StepAudio.Telephony.Analytics.Consumer.CommandLine;
using StepAudio.Telephony.Analytics.Consumer.Lifetime;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Consumer.Printing;

/// <summary>
/// Prints each event of type <typeparamref name="TEvent"/> once; one closed type per contract in EventTopology.
/// A redelivered copy (same EventId) is not printed again, and does not count towards --exit-after-call-ended.
/// </summary>
internal sealed class CallEventPrinter<TEvent> : IConsumer<TEvent>
    where TEvent : class, ICallEvent
{
    private readonly EventLineWriter _writer;
    private readonly ExitCoordinator _exit;
    private readonly RecentEventIds _printed;
    private readonly string? _callId;

    public CallEventPrinter(EventLineWriter writer, ExitCoordinator exit, RecentEventIds printed, ConsumerArguments arguments)
    {
        _writer = writer;
        _exit = exit;
        _printed = printed;
        _callId = arguments.CallId;
    }

    public Task Consume(ConsumeContext<TEvent> context)
    {
        if (_callId is not null && !string.Equals(_callId, context.Message.CallId, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        if (!_printed.TryAdd(context.Message.EventId))
        {
            return Task.CompletedTask;
        }

        _writer.Write(context.Message);
        _exit.Printed(context.Message);
        return Task.CompletedTask;
    }
}
