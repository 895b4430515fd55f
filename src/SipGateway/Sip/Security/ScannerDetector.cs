using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>Recognises SIP scanners by User-Agent substrings (ASCII, case-insensitive) without allocating.</summary>
public sealed class ScannerDetector
{
    private readonly byte[][] _patterns;

    public ScannerDetector(IEnumerable<string> userAgentSubstrings)
    {
        ArgumentNullException.ThrowIfNull(userAgentSubstrings);
        _patterns = [.. userAgentSubstrings.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => Encoding.ASCII.GetBytes(p.Trim()))];
    }

    public bool IsScanner(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_patterns.Length == 0)
        {
            return false;
        }

        foreach (var header in request.Headers)
        {
            if (header.Id == SipHeaderId.UserAgent && Matches(header.Value.Span))
            {
                return true;
            }
        }

        return false;
    }

    private bool Matches(ReadOnlySpan<byte> userAgent)
    {
        foreach (var pattern in _patterns)
        {
            for (var i = 0; i + pattern.Length <= userAgent.Length; i++)
            {
                if (Ascii.EqualsIgnoreCase(userAgent.Slice(i, pattern.Length), pattern))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
