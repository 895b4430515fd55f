using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Provisional;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Provisional;

/// <summary>RSeq and RAck (RFC 3262 §7.1, §7.2): parsed without allocation, malformed values refused.</summary>
public sealed class RAckHeaderTests
{
    [Theory]
    [InlineData("776656 1 INVITE", 776656u, 1u, "INVITE")]
    [InlineData("  1\t 314159   INVITE ", 1u, 314159u, "INVITE")]
    [InlineData("4294967295 2147483647 INVITE", uint.MaxValue, CSeqHeader.MaxNumber, "INVITE")]
    [InlineData("0002 07 UPDATE", 2u, 7u, "UPDATE")]
    [InlineData("5 1 FOO-bar.x", 5u, 1u, "FOO-bar.x")]
    public void Well_formed_values_are_read(string value, uint rseq, uint cseq, string method)
    {
        Assert.True(RAckHeader.TryParse(Encoding.ASCII.GetBytes(value), out var rack));
        Assert.Equal(new RAckHeader(rseq, cseq, method), rack);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1 INVITE")]
    [InlineData("1 1")]
    [InlineData("1 1 INVITE extra")]
    [InlineData("0 1 INVITE")]
    [InlineData("-1 1 INVITE")]
    [InlineData("+1 1 INVITE")]
    [InlineData("1x 1 INVITE")]
    [InlineData("4294967296 1 INVITE")]
    [InlineData("99999999999999999999 1 INVITE")]
    [InlineData("1 2147483648 INVITE")]
    [InlineData("1 1 INV;ITE")]
    [InlineData("1,1,INVITE")]
    [InlineData("1 1 INVITE\u00e9")]
    public void Malformed_values_are_refused(string value)
    {
        Assert.False(RAckHeader.TryParse(Encoding.Latin1.GetBytes(value), out _));
    }

    [Fact]
    public void A_known_method_is_read_without_allocating()
    {
        var value = "776656 1 INVITE"u8.ToArray();
        Assert.True(RAckHeader.TryParse(value, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = RAckHeader.TryParse(value, out var rack) & RSeqHeader.TryParse("776656"u8, out var rseq);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(ok);
        Assert.Same(SipMethods.Invite, rack.Method);
        Assert.Equal(rack.ResponseNumber, rseq);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData("1", 1u)]
    [InlineData(" 4294967295 ", uint.MaxValue)]
    [InlineData("0001", 1u)]
    public void Rseq_accepts_1_to_2_pow_32_minus_1(string value, uint expected)
    {
        Assert.True(RSeqHeader.TryParse(Encoding.ASCII.GetBytes(value), out var rseq));
        Assert.Equal(expected, rseq);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("4294967296")]
    [InlineData("12 3")]
    [InlineData("0x10")]
    [InlineData("-5")]
    public void Rseq_refuses_anything_else(string value)
    {
        Assert.False(RSeqHeader.TryParse(Encoding.ASCII.GetBytes(value), out _));
    }

    [Fact]
    public void Format_round_trips()
    {
        var value = RAckHeader.Format(42, new CSeqHeader(7, SipMethods.Invite));

        Assert.Equal("42 7 INVITE", value);
        Assert.True(RAckHeader.TryParse(Encoding.ASCII.GetBytes(value), out var rack));
        Assert.Equal(value, rack.ToString());
    }
}
