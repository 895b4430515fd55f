using System.Net;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>One SIP transport (RFC 3261 §18): delivers whole messages to a handler and sends to a <see cref="SipEndPoint"/>.</summary>
public interface ISipTransport : IAsyncDisposable
{
    SipTransportProtocol Protocol { get; }

    /// <summary>The bound address and port.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Starts the receive loop(s); they survive any input and stop only on dispose.</summary>
    void Start(SipMessageHandler handler);

    /// <summary>Sends one message; failures are logged and reported as false, never thrown.</summary>
    ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, SipEndPoint destination, CancellationToken cancellationToken = default);
}
