namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// One framing decision. <see cref="Length"/> is the bytes to consume (Message, Ping, Skip). For Error,
/// <see cref="HeaderLength"/> is the length of the complete header block when there is one to answer, else 0.
/// </summary>
internal readonly record struct TcpFrame(TcpFrameKind Kind, int Length = 0, int HeaderLength = 0, int StatusCode = 0, string? Reason = null)
{
    public static readonly TcpFrame NeedMore = new(TcpFrameKind.NeedMore);

    public static TcpFrame Fail(int statusCode, string reason, int headerLength = 0) =>
        new(TcpFrameKind.Error, 0, headerLength, statusCode, reason);
}
