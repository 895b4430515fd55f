namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// Receives one complete SIP message. The memory is owned by the callee (the transport never reuses it), so parsed
/// messages may keep slices of it. Must not block: the transport's receive loop waits for it.
/// </summary>
public delegate void SipMessageHandler(ReadOnlyMemory<byte> message, SipEndPoint remote);
