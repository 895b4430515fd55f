using System.Globalization;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// Reads the DTMF bodies trunks send in INFO requests outside any RFC 6086 Info Package ("legacy INFO usage",
/// RFC 6086 §2): <c>application/dtmf-relay</c> ("Signal=5\r\nDuration=160", Cisco/SIP-T practice, duration in ms)
/// and <c>application/dtmf</c> (the bare digit).
/// </summary>
public static class DtmfInfoBody
{
    public const string DtmfRelay = "application/dtmf-relay";
    public const string Dtmf = "application/dtmf";

    /// <summary>True for the two content types this parser reads (parameters and case ignored).</summary>
    public static bool IsDtmfContentType(string? contentType)
    {
        var type = MediaType(contentType);
        return type.Equals(DtmfRelay, StringComparison.OrdinalIgnoreCase) || type.Equals(Dtmf, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Parses a body of either type. <paramref name="duration"/> is <see cref="TimeSpan.Zero"/> when the body does not
    /// carry one. False for anything that is not exactly one DTMF event (0-9, *, #, A-D, or the RFC 4733 event codes
    /// 10 for * and 11 for # that some senders use).
    /// </summary>
    public static bool TryParse(string? contentType, ReadOnlySpan<char> body, out char digit, out TimeSpan duration)
    {
        digit = default;
        duration = TimeSpan.Zero;
        var type = MediaType(contentType);
        if (type.Equals(Dtmf, StringComparison.OrdinalIgnoreCase))
        {
            return TryDigit(body.Trim(), out digit);
        }

        if (!type.Equals(DtmfRelay, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var sawSignal = false;
        foreach (var range in body.SplitAny('\r', '\n'))
        {
            var line = body[range].Trim();
            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var name = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (name.Equals("Signal", StringComparison.OrdinalIgnoreCase))
            {
                if (sawSignal || !TryDigit(value, out digit))
                {
                    return false;
                }

                sawSignal = true;
            }
            else if (name.Equals("Duration", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > 60_000)
                {
                    return false;
                }

                duration = TimeSpan.FromMilliseconds(ms);
            }
        }

        return sawSignal;
    }

    /// <summary>
    /// The <c>application/dtmf-relay</c> body for one key held <paramref name="duration"/> (whole milliseconds), as
    /// <see cref="TryParse"/> reads it: <c>Signal=5\r\nDuration=100\r\n</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="digit"/> is not 0-9, *, #, A-D.</exception>
    public static string Format(char digit, TimeSpan duration)
    {
        if (!TryDigit([digit], out var key))
        {
            throw new ArgumentException($"'{digit}' is not a DTMF key.", nameof(digit));
        }

        return string.Create(CultureInfo.InvariantCulture, $"Signal={key}\r\nDuration={(int)duration.TotalMilliseconds}\r\n");
    }

    private static bool TryDigit(ReadOnlySpan<char> value, out char digit)
    {
        digit = default;
        if (value.Length == 1)
        {
            var c = char.ToUpperInvariant(value[0]);
            if (char.IsAsciiDigit(c) || c is '*' or '#' or >= 'A' and <= 'D')
            {
                digit = c;
                return true;
            }

            return false;
        }

        // RFC 4733 §3.2 event codes: 10 = *, 11 = #, 12-15 = A-D.
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 10 and <= 15)
        {
            digit = "*#ABCD"[code - 10];
            return true;
        }

        return false;
    }

    private static ReadOnlySpan<char> MediaType(string? contentType)
    {
        if (contentType is null)
        {
            return [];
        }

        var span = contentType.AsSpan();
        var semicolon = span.IndexOf(';');
        return (semicolon < 0 ? span : span[..semicolon]).Trim();
    }
}
