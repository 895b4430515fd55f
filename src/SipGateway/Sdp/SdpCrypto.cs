using System.Globalization;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>
/// One SDES crypto attribute (RFC 4568 §9.1): <c>a=crypto:&lt;tag&gt; &lt;crypto-suite&gt; &lt;key-params&gt; [&lt;session-params&gt;]</c>.
/// </summary>
public sealed class SdpCrypto
{
    /// <summary>The one suite we speak (RFC 4568 §6.2.1), and the default of every SRTP stack.</summary>
    public const string AesCm128HmacSha1With80BitTag = "AES_CM_128_HMAC_SHA1_80";

    /// <summary>The tag of the one crypto line our own offers carry; an answer must repeat it (RFC 4568 §7.1.3).</summary>
    public const int OfferTag = 1;

    private SdpCrypto(int tag, string suite, string keyParams, string? sessionParams)
    {
        Tag = tag;
        Suite = suite;
        KeyParams = keyParams;
        SessionParams = sessionParams;
    }

    /// <summary>1 to 9 digits; the answer repeats the tag of the line it accepts (§5.1).</summary>
    public int Tag { get; }

    public string Suite { get; }

    /// <summary>The key-params text, e.g. <c>inline:base64key|2^31|1:1</c>; one or more separated by ';'.</summary>
    public string KeyParams { get; }

    /// <summary>Session parameters (KDR=, UNENCRYPTED_SRTP, ...), or null.</summary>
    public string? SessionParams { get; }

    /// <summary>Parses the value after <c>a=crypto:</c>; false on anything malformed.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out SdpCrypto? attribute)
    {
        attribute = null;
        var text = value.Trim();
        var space = text.IndexOf(' ');
        if (space is < 1 or > 9 || !int.TryParse(text[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var tag))
        {
            return false;
        }

        text = text[(space + 1)..].TrimStart();
        space = text.IndexOf(' ');
        if (space < 1)
        {
            return false;
        }

        var suite = text[..space].ToString();
        text = text[(space + 1)..].TrimStart();
        space = text.IndexOf(' ');
        var keyParams = (space < 0 ? text : text[..space]).ToString();
        var sessionParams = space < 0 ? null : text[(space + 1)..].Trim().ToString();
        if (keyParams.Length == 0)
        {
            return false;
        }

        attribute = new SdpCrypto(tag, suite, keyParams, string.IsNullOrEmpty(sessionParams) ? null : sessionParams);
        return true;
    }

    /// <summary>
    /// The master key when this line is one we can use: our suite, exactly one inline key of the right length, no MKI
    /// (we keep one key per direction) and no session parameters (each changes the transform, e.g. KDR or
    /// UNENCRYPTED_SRTP, and §6.3 tells an answerer to refuse a line whose parameters it does not apply).
    /// A lifetime is accepted: a call never nears 2^31 packets (497 days of 20 ms frames).
    /// </summary>
    public bool TryGetUsableKey(out SrtpMasterKey? key)
    {
        key = null;
        if (!Suite.Equals(AesCm128HmacSha1With80BitTag, StringComparison.Ordinal) || SessionParams is not null
            || KeyParams.Contains(';', StringComparison.Ordinal) || !KeyParams.StartsWith("inline:", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = KeyParams[7..].Split('|');
        if (parts.Length > 2 || (parts.Length == 2 && parts[1].Contains(':', StringComparison.Ordinal)))
        {
            // key|lifetime|mki or key|mki: an MKI we would have to carry in every packet.
            return false;
        }

        return SrtpMasterKey.TryParseBase64(parts[0], out key);
    }

    /// <summary>The line we answer with: the accepted tag and suite, and our own key (RFC 4568 §6.1).</summary>
    public static string Format(int tag, string suite, SrtpMasterKey key) =>
        string.Create(CultureInfo.InvariantCulture, $"crypto:{tag} {suite} inline:{key.ToBase64()}");
}
