using System.Collections.Concurrent;
using MassTransit;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>
/// Counts, per message id, the deliveries a service's consumers finished (acknowledged). Tests share the broker's
/// exchanges, so a test waits on its own message ids rather than on totals that other tests' events also move.
/// </summary>
internal sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _handled = new();

    /// <summary>How many deliveries of <paramref name="messageId"/> were consumed without fault.</summary>
    public int Count(Guid messageId) => _handled.GetValueOrDefault(messageId);

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            _handled.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
