using MassTransit;

namespace StepAudio.Telephony.Analytics.Consumer.Lifetime;

/// <summary>
/// Writes "consumer ready" to stderr once the queue is declared, bound and consuming, so a script can
/// publish only after that point without racing the binding.
/// </summary>
internal sealed class ReadyReporter : IReceiveEndpointObserver
{
    public const string ReadyLine = "consumer ready";

    private readonly string _queueName;
    private int _reported;

    public ReadyReporter(string queueName) => _queueName = queueName;

    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (ready.InputAddress.AbsolutePath.EndsWith("/" + _queueName, StringComparison.Ordinal)
            && Interlocked.Exchange(ref _reported, 1) == 0)
        {
            Console.Error.WriteLine(ReadyLine);
            Console.Error.Flush();
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
