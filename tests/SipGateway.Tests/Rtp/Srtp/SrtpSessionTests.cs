using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp.Srtp;

/// <summary>The SRTP session of our own SDES offer: our key first, the peer's from its answer (RFC 4568 §7.1).</summary>
public sealed class SrtpSessionTests
{
    private const string Suite = "AES_CM_128_HMAC_SHA1_80";

    [Fact]
    public void An_offered_session_drops_everything_until_the_answer_installs_the_peer_key()
    {
        var ours = SrtpMasterKey.Generate();
        var theirs = SrtpMasterKey.Generate();
        using var session = SrtpSession.Offered(ours);
        using var peerOut = new SrtpTransform(theirs);
        using var peerRtcpOut = new SrtcpTransform(theirs);

        Assert.False(session.HasRemoteKey);
        Assert.Equal(SrtpUnprotectResult.NoKey, session.UnprotectRtp(Packet(peerOut, 1), out _));
        Assert.Equal(SrtpUnprotectResult.NoKey, session.UnprotectRtcp(new byte[64], out _));

        Assert.True(session.TryComplete(new SrtpKeys(ours, theirs, 1, Suite)));

        Assert.True(session.HasRemoteKey);
        Assert.Equal(SrtpUnprotectResult.Ok, session.UnprotectRtp(Packet(peerOut, 2), out var length));
        Assert.Equal(12 + 160, length);
    }

    [Fact]
    public void Completion_needs_our_offered_key_and_never_re_keys()
    {
        var ours = SrtpMasterKey.Generate();
        var theirs = SrtpMasterKey.Generate();
        using var session = SrtpSession.Offered(ours);

        Assert.False(session.TryComplete(new SrtpKeys(SrtpMasterKey.Generate(), theirs, 1, Suite)));
        Assert.False(session.HasRemoteKey);
        Assert.True(session.TryComplete(new SrtpKeys(ours, theirs, 1, Suite)));
        Assert.True(session.TryComplete(new SrtpKeys(ours, new SrtpMasterKey(theirs.Key.ToArray().Concat(theirs.Salt.ToArray()).ToArray()), 1, Suite)));
        Assert.False(session.TryComplete(new SrtpKeys(ours, SrtpMasterKey.Generate(), 1, Suite)));
    }

    [Fact]
    public void A_session_made_from_agreed_keys_accepts_the_same_keys_again()
    {
        var keys = new SrtpKeys(SrtpMasterKey.Generate(), SrtpMasterKey.Generate(), 1, Suite);
        using var session = new SrtpSession(keys);

        Assert.True(session.HasRemoteKey);
        Assert.True(session.TryComplete(keys));
        Assert.False(session.TryComplete(keys with { Remote = SrtpMasterKey.Generate() }));
    }

    private static byte[] Packet(SrtpTransform transform, ushort sequence)
    {
        var buffer = new byte[12 + 160 + SrtpTransform.AuthTagLength];
        RtpPacketWriter.Write(buffer, false, 0, sequence, sequence * 160u, 0xCAFE, new byte[160]);
        Assert.Equal(buffer.Length, transform.Protect(buffer, 12 + 160));
        return buffer;
    }
}
