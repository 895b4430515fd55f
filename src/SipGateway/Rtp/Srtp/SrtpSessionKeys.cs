using System.Security.Cryptography;

namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// The three session keys of one protocol (SRTP or SRTCP) derived from a master key (RFC 3711 §4.3): the AES key
/// (ready as an AES-CM keystream generator), the 112-bit session salt and the HMAC-SHA1 authenticator.
/// </summary>
internal sealed class SrtpSessionKeys : IDisposable
{
    /// <summary>RFC 3711 §5.2 / RFC 4568 §6.2.1: n_a = 160 bits for HMAC-SHA1.</summary>
    public const int AuthKeyLength = 20;

    private readonly byte[] _salt = new byte[SrtpMasterKey.SaltLength];

    public SrtpSessionKeys(SrtpMasterKey master, bool rtcp)
    {
        ArgumentNullException.ThrowIfNull(master);
        Span<byte> encryption = stackalloc byte[SrtpMasterKey.KeyLength];
        Span<byte> auth = stackalloc byte[AuthKeyLength];
        SrtpKeyDerivation.Derive(master, rtcp ? SrtpKeyDerivation.RtcpEncryption : SrtpKeyDerivation.RtpEncryption, encryption);
        SrtpKeyDerivation.Derive(master, rtcp ? SrtpKeyDerivation.RtcpAuthentication : SrtpKeyDerivation.RtpAuthentication, auth);
        SrtpKeyDerivation.Derive(master, rtcp ? SrtpKeyDerivation.RtcpSalt : SrtpKeyDerivation.RtpSalt, _salt);
        Cipher = new AesCounterMode(encryption);
        Authenticator = new SrtpAuthenticator(auth);
        CryptographicOperations.ZeroMemory(encryption);
        CryptographicOperations.ZeroMemory(auth);
    }

    public AesCounterMode Cipher { get; }

    public ReadOnlySpan<byte> Salt => _salt;

    public SrtpAuthenticator Authenticator { get; }

    /// <summary>
    /// Builds the AES-CM IV (RFC 3711 §4.1.1): IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), with
    /// <paramref name="index"/> the 48-bit SRTP packet index or the 31-bit SRTCP index.
    /// </summary>
    public void WriteIv(uint ssrc, ulong index, Span<byte> iv)
    {
        iv.Clear();
        _salt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (var i = 0; i < 6; i++)
        {
            iv[13 - i] ^= (byte)(index >> (8 * i));
        }
    }

    public void Dispose()
    {
        Cipher.Dispose();
        Authenticator.Dispose();
    }
}
