using System.Net;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// Receives one datagram. The memory is owned by the callee from then on (the transport never reuses it), so parsed
/// messages may keep slices of it. Must not block: the receive loop waits for it.
/// </summary>
public delegate void SipDatagramHandler(ReadOnlyMemory<byte> datagram, IPEndPoint remote);
