using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>
/// Gives client-side components (outbound REGISTER) the gateway's own SIP socket. Sharing it matters: a trunk sends
/// calls to the address a REGISTER came from when NAT is involved (RFC 3581 rport), so requests must leave from the
/// port that listens for INVITEs. The gateway attaches its user-agent server once it is bound; clients await that.
/// </summary>
public sealed class SipClientChannel
{
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<SipClientBinding> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SipClientChannel(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Routes the server's unmatched responses into a new client transaction table that sends on its socket.</summary>
    public SipClientBinding Attach(SipUserAgentServer server, SipOptions options)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        var transactions = new NonInviteClientTransactionLayer(
            server.SendAsync, new SipTimers(options.T1, options.T2, SipTimers.Default.T4), _time);
        server.ResponseInterceptor = transactions.TryDeliver;
        var binding = new SipClientBinding(transactions, server.ContactHostPort, options.UserAgent);
        _attached.TrySetResult(binding);
        return binding;
    }

    /// <summary>Completes once <see cref="Attach"/> has run.</summary>
    public Task<SipClientBinding> WhenAttachedAsync(CancellationToken cancellationToken) =>
        _attached.Task.WaitAsync(cancellationToken);
}
