using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

/// <summary>
/// The client side of digest written from RFC 2617 §3.2.2 / RFC 7616 §3.4.1 directly, so tests do not check the
/// server's computation against itself.
/// </summary>
internal static partial class IndependentDigest
{
    public static string Response(string algorithm, string user, string realm, string password, string method, string uri, string nonce, string nc, string cnonce)
    {
        Func<byte[], byte[]> h = algorithm == "SHA-256" ? SHA256.HashData : MD5.HashData;
        string Hex(string s) => Convert.ToHexStringLower(h(Encoding.UTF8.GetBytes(s)));
        var a1 = Hex(user + ":" + realm + ":" + password);
        var a2 = Hex(method + ":" + uri);
        return Hex(a1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + a2);
    }

    public static string Authorization(string algorithm, string user, string realm, string password, string method, string uri, string nonce, string cnonce = "0a4f113b", string nc = "00000001") =>
        $"Authorization: Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", " +
        $"response=\"{Response(algorithm, user, realm, password, method, uri, nonce, nc, cnonce)}\", algorithm={algorithm}, " +
        $"cnonce=\"{cnonce}\", qop=auth, nc={nc}\r\n";

    public static string NonceOf(string challenge) => NonceParameter().Match(challenge) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No nonce in " + challenge);

    [GeneratedRegex("nonce=\"([^\"]+)\"")]
    private static partial Regex NonceParameter();
}
