using System.Globalization;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// The status line of a <c>message/sipfrag</c> body (RFC 3420) as carried in the NOTIFYs of a REFER subscription
/// (RFC 3515 §2.4.5): "SIP/2.0 200 OK" plus optional headers, of which only the status line matters here.
/// </summary>
public static class SipFrag
{
    public const string ContentType = "message/sipfrag";

    /// <summary>
    /// The body of a NOTIFY we send as notifier (RFC 3515 §2.4.5): just the status line, with control bytes dropped from
    /// <paramref name="reason"/> so a reason phrase taken from a peer cannot inject lines.
    /// </summary>
    public static string Format(int statusCode, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        var clean = new string([.. (reason ?? string.Empty).Where(c => !char.IsControl(c))]).Trim();
        return string.Create(CultureInfo.InvariantCulture, $"SIP/2.0 {statusCode} {clean}\r\n");
    }

    /// <summary>Reads the status code of the first line; false when the body is not a SIP status line.</summary>
    public static bool TryParseStatus(ReadOnlySpan<char> body, out int statusCode, out string reason)
    {
        statusCode = 0;
        reason = string.Empty;
        var end = body.IndexOfAny('\r', '\n');
        var line = (end < 0 ? body : body[..end]).Trim();
        if (!line.StartsWith("SIP/2.0 ", StringComparison.Ordinal) || line.Length < 11)
        {
            return false;
        }

        var code = line.Slice(8, 3);
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out statusCode) || statusCode is < 100 or > 699)
        {
            statusCode = 0;
            return false;
        }

        if (line.Length > 11 && line[11] != ' ')
        {
            statusCode = 0;
            return false;
        }

        reason = line.Length > 12 ? line[12..].ToString() : string.Empty;
        return true;
    }
}
