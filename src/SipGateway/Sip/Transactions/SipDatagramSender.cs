using System.Net;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>Sends one datagram on the transport; false when the send failed (a transport error, RFC 3261 §17.1.4).</summary>
public delegate ValueTask<bool> SipDatagramSender(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken);
