using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp.Srtp;

/// <summary>
/// The SRTP primitives against published vectors: RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation),
/// and the AES_CM_128_HMAC_SHA1_80 reference packets of libsrtp's srtp_driver (RTP and SRTCP), which pin the IV
/// layout, the ROC in the HMAC, the E||index trailer and the tag truncation all at once.
/// </summary>
public sealed class SrtpRfc3711VectorTests
{
    private static readonly SrtpMasterKey B3Master = new(Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139" + "0EC675AD498AFEEBB6960B3AABE6"));

    [Theory]
    [InlineData(SrtpKeyDerivation.RtpEncryption, "C61E7A93744F39EE10734AFE3FF7A087")]
    [InlineData(SrtpKeyDerivation.RtpSalt, "30CBBC08863D8C85D49DB34A9AE1")]
    [InlineData(SrtpKeyDerivation.RtpAuthentication, "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCEE049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC256D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2")]
    public void Key_derivation_matches_RFC_3711_B3(byte label, string expectedHex)
    {
        var expected = Convert.FromHexString(expectedHex);
        var actual = new byte[expected.Length];

        SrtpKeyDerivation.Derive(B3Master, label, actual);

        Assert.Equal(expectedHex, Convert.ToHexString(actual));
    }

    [Fact]
    public void Aes_cm_keystream_matches_RFC_3711_B2()
    {
        using var aes = new AesCounterMode(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"));
        var iv = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        var keystream = new byte[0xFF02 * 16];

        aes.Keystream(iv, keystream);

        Assert.Equal("E03EAD0935C95E80E166B16DD92B4EB4", Block(keystream, 0x0000));
        Assert.Equal("D23513162B02D0F72A43A2FE4A5F97AB", Block(keystream, 0x0001));
        Assert.Equal("41E95B3BB0A2E8DD477901E4FCA894C0", Block(keystream, 0x0002));
        Assert.Equal("EC8CDF7398607CB0F2D21675EA9EA1E4", Block(keystream, 0xFEFF));
        Assert.Equal("362B7C3C6773516318A077D7FC5073AE", Block(keystream, 0xFF00));
        Assert.Equal("6A2CC3787889374FBEB4C81B17BA6C44", Block(keystream, 0xFF01));
    }

    [Fact]
    public void Protects_the_libsrtp_reference_rtp_packet()
    {
        using var transform = new SrtpTransform(B3Master);
        var buffer = new byte[64];
        var plain = Convert.FromHexString("800F1234DECAFBADCAFEBABE" + "ABABABABABABABABABABABABABABABAB");
        plain.CopyTo(buffer, 0);

        var length = transform.Protect(buffer, plain.Length);

        Assert.Equal("800F1234DECAFBADCAFEBABE4E55DC4CE79978D88CA4D215949D2402B78D6ACC99EA179B8DBB", Convert.ToHexString(buffer, 0, length));
    }

    [Fact]
    public void Unprotects_the_libsrtp_reference_rtp_packet()
    {
        using var transform = new SrtpTransform(B3Master);
        var packet = Convert.FromHexString("800F1234DECAFBADCAFEBABE4E55DC4CE79978D88CA4D215949D2402B78D6ACC99EA179B8DBB");

        Assert.Equal(SrtpUnprotectResult.Ok, transform.Unprotect(packet, out var length));
        Assert.Equal("800F1234DECAFBADCAFEBABE" + "ABABABABABABABABABABABABABABABAB", Convert.ToHexString(packet, 0, length));
    }

    [Fact]
    public void Protects_the_libsrtp_reference_srtcp_packet_as_the_second_of_the_stream()
    {
        // libsrtp's reference SRTCP packet carries index 1; RFC 3711 §3.4 starts the index at 0, so it is our second.
        using var transform = new SrtcpTransform(B3Master);
        var plain = Convert.FromHexString("81C8000BCAFEBABE" + "ABABABABABABABABABABABABABABABAB");
        var buffer = new byte[64];
        plain.CopyTo(buffer, 0);
        Assert.Equal(plain.Length + SrtcpTransform.TrailerLength, transform.Protect(buffer, plain.Length));
        plain.CopyTo(buffer, 0);

        var length = transform.Protect(buffer, plain.Length);

        Assert.Equal("81C8000BCAFEBABE7128035BE487B9BDBEF89041F977A5A880000001993E08CD54D6C1230798", Convert.ToHexString(buffer, 0, length));
    }

    [Fact]
    public void Unprotects_the_libsrtp_reference_srtcp_packet()
    {
        using var transform = new SrtcpTransform(B3Master);
        var packet = Convert.FromHexString("81C8000BCAFEBABE7128035BE487B9BDBEF89041F977A5A880000001993E08CD54D6C1230798");

        Assert.Equal(SrtpUnprotectResult.Ok, transform.Unprotect(packet, out var length));
        Assert.Equal("81C8000BCAFEBABE" + "ABABABABABABABABABABABABABABABAB", Convert.ToHexString(packet, 0, length));
    }

    private static string Block(byte[] keystream, int index) => Convert.ToHexString(keystream, index * 16, 16);
}
