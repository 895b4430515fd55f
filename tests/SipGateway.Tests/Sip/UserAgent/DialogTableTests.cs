using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Provisional;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// Early dialogs in the dialog table (RFC 3261 §12.1.1, RFC 3262 §7.2): a PRACK finds the ringing INVITE's early
/// dialog by the same rules as a request in a confirmed dialog: Call-ID, both tags, CSeq above the last (§12.2.2).
/// </summary>
public sealed class DialogTableTests
{
    private const string OurTag = "gw-tag";

    private static SipRequest Parse(string method, int cseq, string? toTag, string fromTag = "caller") =>
        (SipRequest)SipMessageParser.Parse(Encoding.ASCII.GetBytes(
            $"{method} sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-{method}-{cseq}\r\nMax-Forwards: 70\r\n"
            + $"From: <sip:c@127.0.0.1>;tag={fromTag}\r\nTo: <sip:gw@127.0.0.1>{(toTag is null ? string.Empty : ";tag=" + toTag)}\r\n"
            + $"Call-ID: early-1\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n")).Message!;

    private static (DialogTable Table, EarlyDialog Early) Ringing()
    {
        var table = new DialogTable("test");
        var early = new EarlyDialog(Parse("INVITE", 1, null), DialogTable.Key("early-1", OurTag), null, _ => null, _ => { }, () => { });
        table.AddEarly(early);
        return (table, early);
    }

    [Fact]
    public void A_prack_in_the_early_dialog_is_found_and_moves_its_cseq_on()
    {
        var (table, early) = Ringing();

        Assert.Same(early, table.FindEarly(Parse("PRACK", 2, OurTag), out var rejection));
        Assert.Null(rejection);
        Assert.Equal(2u, early.RemoteCSeq);
        Assert.Equal(1, table.EarlyCount);

        // Early dialogs are not calls: they never count against MaxDialogs nor show as active dialogs.
        Assert.Equal(0, table.Count);
    }

    [Theory]
    [InlineData(OurTag, "someone-else", 2, 481)]
    [InlineData("not-ours", "caller", 2, 481)]
    [InlineData(null, "caller", 2, 481)]
    [InlineData(OurTag, "caller", 1, 500)]
    public void A_request_outside_the_early_dialog_or_out_of_order_is_refused(string? toTag, string fromTag, int cseq, int status)
    {
        var (table, early) = Ringing();

        Assert.Null(table.FindEarly(Parse("PRACK", cseq, toTag, fromTag), out var rejection));
        Assert.Equal(status, rejection!.StatusCode);
        Assert.Equal(1u, early.RemoteCSeq);
    }

    [Fact]
    public void A_request_repeating_the_last_cseq_is_out_of_order()
    {
        var (table, _) = Ringing();
        Assert.NotNull(table.FindEarly(Parse("PRACK", 5, OurTag), out _));

        Assert.Null(table.FindEarly(Parse("PRACK", 5, OurTag), out var rejection));
        Assert.Equal(500, rejection!.StatusCode);
    }

    [Fact]
    public void Once_the_invite_has_its_final_response_the_early_dialog_is_gone()
    {
        var (table, early) = Ringing();

        table.RemoveEarly(early.Id);

        Assert.Null(table.FindEarly(Parse("PRACK", 2, OurTag), out var rejection));
        Assert.Equal(481, rejection!.StatusCode);
        Assert.Equal(0, table.EarlyCount);
    }
}
