using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;

namespace StepAudio.Telephony.SipGateway.Tests.Conformance;

/// <summary>RFC 4475 torture messages; expectations from /work/shared/conformance/README.md.</summary>
public sealed class Rfc4475ConformanceTests
{
    public static TheoryData<string, bool> Expectations => new()
    {
        { "wsinv.dat", true }, { "intmeth.dat", true }, { "esc01.dat", true }, { "escnull.dat", true },
        { "esc02.dat", true }, { "lwsdisp.dat", true }, { "longreq.dat", true }, { "dblreq.dat", true },
        { "semiuri.dat", true }, { "transports.dat", true }, { "mpart01.dat", true }, { "unreason.dat", true },
        { "noreason.dat", true }, { "badinv01.dat", false }, { "clerr.dat", false }, { "ncl.dat", false },
        { "scalar02.dat", false }, { "scalarlg.dat", false }, { "quotbal.dat", false }, { "ltgtruri.dat", false },
        { "lwsruri.dat", false }, { "lwsstart.dat", false }, { "trws.dat", false }, { "escruri.dat", true },
        { "baddate.dat", true }, { "regbadct.dat", true }, { "badaspec.dat", true }, { "baddn.dat", true },
        { "badvers.dat", false }, { "mismatch01.dat", false }, { "mismatch02.dat", false }, { "bigcode.dat", false },
        { "badbranch.dat", true }, { "insuf.dat", true }, { "unkscm.dat", true }, { "novelsc.dat", true },
        { "unksm2.dat", true }, { "bext01.dat", true }, { "invut.dat", true }, { "regaut01.dat", true },
        { "multi01.dat", false }, { "mcl01.dat", false }, { "bcast.dat", true }, { "zeromf.dat", true },
        { "cparam01.dat", true }, { "cparam02.dat", true }, { "regescrt.dat", true }, { "sdp01.dat", true },
        { "inv2543.dat", false },
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public void Parser_outcome_matches_rfc4475(string file, bool shouldParse)
    {
        var result = SipMessageParser.Parse(Load(file));

        if (shouldParse)
        {
            Assert.True(result.Success, $"{file} should parse but was rejected: {result.Error}");
        }
        else if (file == "inv2543.dat")
        {
            // RFC 4475 §3.4.1: legal RFC 2543 syntax; an RFC 3261 element rejects it for the missing Max-Forwards
            // (RFC 3261 §8.1.1), which is the request validator's job rather than the tokenizer's.
            Assert.True(result.Success, result.Error?.ToString());
            Assert.Equal("Missing mandatory header: Max-Forwards", SipRequestValidator.Validate((SipRequest)result.Message));
        }
        else
        {
            Assert.False(result.Success, $"{file} should be rejected but parsed");
            Assert.False(string.IsNullOrWhiteSpace(result.Error.Reason));
            Assert.DoesNotContain('\n', result.Error.Reason);
        }
    }

    [Fact]
    public void Every_data_file_has_an_expectation()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Conformance", "rfc4475");
        var listed = new HashSet<string>();
        foreach (var row in Expectations)
        {
            listed.Add((string)row[0]);
        }

        foreach (var path in Directory.GetFiles(dir, "*.dat"))
        {
            var name = Path.GetFileName(path);
            Assert.True(name == "test.dat" || listed.Contains(name), $"{name} has no expectation");
        }

        Assert.Equal(49, listed.Count);
    }

    [Fact]
    public void Wsinv_fields_survive_whitespace_folding_and_compact_forms()
    {
        var result = SipMessageParser.Parse(Load("wsinv.dat"));
        Assert.True(result.Success, result.Error?.ToString());
        var request = Assert.IsType<SipRequest>(result.Message);

        Assert.Equal("INVITE", request.Method);
        Assert.Equal("sip:vivekg@chair-dnrc.example.com;unknownparam", request.RequestUri);
        Assert.Equal("sip:vivekg@chair-dnrc.example.com", request.To!.Uri);
        Assert.Equal("1918181833n", request.To.Tag);
        Assert.Equal("J Rosenberg \\\"", request.From!.DisplayName);
        Assert.Equal("sip:jdrosen@example.com", request.From.Uri);
        Assert.Equal("98asjd8", request.From.Tag);
        Assert.Equal(68, request.MaxForwards);
        Assert.Equal("wsinv.ndaksdj@192.0.2.1", request.CallId);
        Assert.Equal(new CSeqHeader(9, "INVITE"), request.CSeq);
        Assert.Equal(150, request.Body.Length);

        var vias = request.Headers.GetAll(SipHeaderId.Via);
        Assert.Equal(3, vias.Count);
        Assert.Equal("UDP", request.TopVia!.Transport);
        Assert.Equal("192.0.2.2", request.TopVia.Host);
        Assert.Equal("390skdjuw", request.TopVia.Branch);
        Assert.True(ViaHeader.TryParse(vias[1].AsSpan(), out var second));
        Assert.Equal(("TCP", "spindle.example.com", "z9hG4bK9ikj8"), (second.Transport, second.Host, second.Branch));
        Assert.True(ViaHeader.TryParse(vias[2].AsSpan(), out var third));
        Assert.Equal(("192.168.255.111", "z9hG4bK30239"), (third.Host, third.Branch));

        Assert.Equal("newfangled value continued newfangled value", request.Headers.GetFirst("NewFangledHeader"));
        Assert.Equal(";;,,;;,;", request.Headers.GetFirst("UnknownHeaderWithUnusualValue"));
        Assert.Equal(string.Empty, request.Headers.GetFirst(SipHeaderId.Subject));
        Assert.True(NameAddress.TryParse(request.Headers.GetFirst(SipHeaderId.Contact), out var contact));
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("newvalue", contact.Parameters.Get("newparam"));
        Assert.True(contact.Parameters.Contains("secondparam"));
        Assert.Equal("0.33", contact.Parameters.Get("q"));
    }

    [Fact]
    public void Dblreq_keeps_only_content_length_octets()
    {
        var result = SipMessageParser.Parse(Load("dblreq.dat"));
        Assert.True(result.Success, result.Error?.ToString());
        Assert.Equal("REGISTER", ((SipRequest)result.Message).Method);
        Assert.Equal(0, result.Message.Body.Length);
    }

    [Fact]
    public void Insuf_parses_but_the_validator_reports_the_missing_call_id()
    {
        var result = SipMessageParser.Parse(Load("insuf.dat"));
        Assert.True(result.Success, result.Error?.ToString());
        Assert.Equal("Missing mandatory header: To", SipRequestValidator.Validate((SipRequest)result.Message));
    }

    [Fact]
    public void Badvers_is_rejected_with_505_and_keeps_headers_for_the_response()
    {
        var result = SipMessageParser.Parse(Load("badvers.dat"));
        Assert.False(result.Success);
        Assert.Equal(505, result.Error.StatusCode);
        Assert.Equal("OPTIONS", result.Error.Method);
        Assert.Equal("badvers.31417@c.example.com", result.Error.Headers!.GetFirst(SipHeaderId.CallId));
    }

    [Theory]
    [InlineData("clerr.dat", "Content-Length exceeds body")]
    [InlineData("ncl.dat", "Invalid Content-Length")]
    [InlineData("mcl01.dat", "Duplicate header: Content-Length")]
    [InlineData("multi01.dat", "Duplicate header: CSeq")]
    [InlineData("mismatch01.dat", "CSeq method does not match request method")]
    [InlineData("badinv01.dat", "Malformed Via header")]
    [InlineData("quotbal.dat", "Malformed To header")]
    [InlineData("scalar02.dat", "Malformed CSeq header")]
    [InlineData("bigcode.dat", "Malformed Status-Code")]
    [InlineData("ltgtruri.dat", "Malformed Request-URI")]
    public void Rejections_carry_a_specific_reason(string file, string reason)
    {
        var result = SipMessageParser.Parse(Load(file));
        Assert.False(result.Success);
        Assert.Equal(reason, result.Error.Reason);
        Assert.Equal(400, result.Error.StatusCode);
    }

    private static byte[] Load(string file) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Conformance", "rfc4475", file));
}
