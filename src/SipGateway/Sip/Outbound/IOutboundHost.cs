using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>What an <see cref="OutboundLeg"/> needs from the user agent: its socket, lock and response routing.</summary>
internal interface IOutboundHost
{
    SipOptions Options { get; }

    /// <summary>The advertised host:port for Via, From and Contact.</summary>
    string ContactHostPort { get; }

    /// <summary>Guards the transactions' Ack and Dialog (the user agent's one lock).</summary>
    Lock Sync { get; }

    /// <summary>The user agent's clock: Timers A, B and D run on it.</summary>
    TimeProvider Time { get; }

    /// <summary>Cancelled when the user agent shuts down.</summary>
    CancellationToken Stopping { get; }

    void Send(byte[] bytes, SipEndPoint destination);

    /// <summary>A fresh random token for tags, branches and Call-IDs (RFC 3261 §19.3).</summary>
    string NewToken();

    /// <summary>Routes responses with this transaction's branch to it from now on.</summary>
    void Track(InviteClientTransaction tx);

    /// <summary>Stops routing responses to it (after Timer D, so retransmitted finals are ACKed again).</summary>
    void Forget(InviteClientTransaction tx);

    /// <summary>A non-INVITE client transaction (our CANCEL, RFC 3261 §9.1); its final status, 408 on Timer F.</summary>
    Task<int> RunClientTransactionAsync(byte[] bytes, SipEndPoint destination, string branch, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a dialog the handler never heard of with BYE (RFC 3261 §15), removing it from the table; with an RFC 3326
    /// <paramref name="reason"/> header value when there is one to give.
    /// </summary>
    Task HangUpUnreportedAsync(SipDialog dialog, string? reason = null);
}
