namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// The SRTP key derivation function (RFC 3711 §4.3) with key derivation rate 0, the only rate SDES offers by default
/// (RFC 4568 §6.3.1): each session key is the AES-CM keystream of the master key at IV = (label XOR salt) * 2^16.
/// </summary>
public static class SrtpKeyDerivation
{
    /// <summary>RFC 3711 §4.3.1 labels.</summary>
    public const byte RtpEncryption = 0x00;
    public const byte RtpAuthentication = 0x01;
    public const byte RtpSalt = 0x02;
    public const byte RtcpEncryption = 0x03;
    public const byte RtcpAuthentication = 0x04;
    public const byte RtcpSalt = 0x05;

    /// <summary>Writes <paramref name="output"/>.Length bytes of the session key for <paramref name="label"/>.</summary>
    public static void Derive(SrtpMasterKey master, byte label, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(master);

        // key_id = label || r, with r = index DIV kdr = 0; x = key_id XOR master_salt (the 56-bit key_id is aligned
        // to the low end of the 112-bit salt, so the label lands on salt byte 7).
        Span<byte> iv = stackalloc byte[16];
        master.Salt.CopyTo(iv);
        iv[7] ^= label;
        using var aes = new AesCounterMode(master.Key);
        aes.Keystream(iv, output);
    }
}
