using System.Net;
using System.Threading.Channels;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>Records every handler call; the decision is a delegate so tests can delay, reject or throw.</summary>
internal sealed class TestCallHandler : ICallHandler
{
    public static readonly IPEndPoint LocalRtp = new(IPAddress.Loopback, 40_000);

    private readonly Func<IncomingCall, CancellationToken, Task<MediaAcceptance>> _decide;

    public TestCallHandler(Func<IncomingCall, CancellationToken, Task<MediaAcceptance>>? decide = null)
    {
        _decide = decide ?? ((_, _) => Task.FromResult(MediaAcceptance.Accept(LocalRtp)));
    }

    public Channel<IncomingCall> Incoming { get; } = Channel.CreateUnbounded<IncomingCall>();

    public Channel<string> Confirmed { get; } = Channel.CreateUnbounded<string>();

    public Channel<(string DialogId, string EndedBy, string Reason)> Terminated { get; } =
        Channel.CreateUnbounded<(string, string, string)>();

    public Channel<(string DialogId, MediaUpdate Update)> MediaUpdates { get; } =
        Channel.CreateUnbounded<(string, MediaUpdate)>();

    public Channel<(string DialogId, char Digit, TimeSpan Duration, string Source)> Dtmf { get; } =
        Channel.CreateUnbounded<(string, char, TimeSpan, string)>();

    /// <summary>What <see cref="AcceptsRefer"/> answers: the flow's <c>accept_refer</c> in the gateway.</summary>
    public bool AcceptRefer { get; set; }

    /// <summary>Carries out an accepted REFER; null succeeds at once with 200.</summary>
    public Func<string, CancellationToken, Task<TransferResult>>? Refer { get; set; }

    public Channel<(string DialogId, string Target)> Refers { get; } = Channel.CreateUnbounded<(string, string)>();

    public bool AcceptsRefer(string dialogId) => AcceptRefer;

    public Task<TransferResult> OnReferAsync(string dialogId, string targetUri, CancellationToken cancellationToken)
    {
        Refers.Writer.TryWrite((dialogId, targetUri));
        return Refer?.Invoke(targetUri, cancellationToken) ?? Task.FromResult(new TransferResult(true, 200, "OK"));
    }

    public async ValueTask<MediaAcceptance> OnIncomingCallAsync(IncomingCall incomingCall, CancellationToken cancellationToken)
    {
        Incoming.Writer.TryWrite(incomingCall);
        return await _decide(incomingCall, cancellationToken);
    }

    public void OnCallConfirmed(string dialogId) => Confirmed.Writer.TryWrite(dialogId);

    public void OnCallTerminated(string dialogId, string endedBy, string reason) =>
        Terminated.Writer.TryWrite((dialogId, endedBy, reason));

    public void OnMediaUpdated(string dialogId, MediaUpdate update) => MediaUpdates.Writer.TryWrite((dialogId, update));

    public void OnDtmf(string dialogId, char digit, TimeSpan duration, string source) =>
        Dtmf.Writer.TryWrite((dialogId, digit, duration, source));

    public static async Task<T> NextAsync<T>(Channel<T> channel, int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            return await channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {typeof(T).Name} handler event within {timeoutMs} ms");
        }
    }
}
