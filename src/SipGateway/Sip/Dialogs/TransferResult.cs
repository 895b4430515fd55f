namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// How a blind transfer (REFER, RFC 3515) ended. <see cref="StatusCode"/> is the final status the transferee reported
/// in its sipfrag NOTIFY, or the REFER's own error response, or 408 when nothing final came in time.
/// </summary>
public sealed record TransferResult(bool Succeeded, int StatusCode, string Reason)
{
    internal static TransferResult Failed(int statusCode, string reason) => new(false, statusCode, reason);
}
