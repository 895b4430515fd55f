using System.Buffers;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

public sealed class TcpSipFramerTests
{
    private const string Options = "OPTIONS sip:gw SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK1\r\nContent-Length: 4\r\n\r\nbody";

    [Fact]
    public void Frames_a_message_by_its_content_length_and_leaves_the_next_one()
    {
        var frame = Next(Options + "INVITE");
        Assert.Equal(new TcpFrame(TcpFrameKind.Message, Options.Length), frame);
    }

    [Fact]
    public void Waits_for_the_whole_body_and_for_the_end_of_the_header()
    {
        Assert.Equal(TcpFrameKind.NeedMore, Next(Options[..^1]).Kind);
        Assert.Equal(TcpFrameKind.NeedMore, Next("OPTIONS sip:gw SIP/2.0\r\nContent-Length: 0\r\n").Kind);
    }

    [Fact]
    public void Reads_the_compact_form_case_insensitively()
    {
        const string message = "BYE sip:gw SIP/2.0\r\nl :  2\r\n\r\nab";
        Assert.Equal(new TcpFrame(TcpFrameKind.Message, message.Length), Next(message));
    }

    [Theory]
    [InlineData("BYE sip:gw SIP/2.0\r\nCall-ID: x\r\n\r\n", "Missing Content-Length")]
    [InlineData("BYE sip:gw SIP/2.0\r\nContent-Length: -1\r\n\r\n", "Bad Content-Length")]
    [InlineData("BYE sip:gw SIP/2.0\r\nContent-Length: 1x\r\n\r\n", "Bad Content-Length")]
    [InlineData("BYE sip:gw SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab", "Bad Content-Length")]
    public void Refuses_a_header_without_a_usable_content_length(string message, string reason)
    {
        var frame = Next(message);
        Assert.Equal(TcpFrameKind.Error, frame.Kind);
        Assert.Equal((400, reason), (frame.StatusCode, frame.Reason));
        Assert.Equal(message.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4, frame.HeaderLength);
    }

    [Fact]
    public void Refuses_a_declared_body_over_the_limit_before_it_arrives()
    {
        const string head = "INVITE sip:gw SIP/2.0\r\nContent-Length: 10000000\r\n\r\n";
        var frame = TcpSipFramer.Next(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(head)), 1024, 4096);
        Assert.Equal((TcpFrameKind.Error, 413, head.Length), (frame.Kind, frame.StatusCode, frame.HeaderLength));
    }

    [Fact]
    public void Refuses_a_header_block_over_the_limit_without_waiting_for_its_end()
    {
        var endless = "INVITE sip:gw SIP/2.0\r\nX: " + new string('a', 2000);
        var frame = TcpSipFramer.Next(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(endless)), 1024, 4096);
        Assert.Equal((TcpFrameKind.Error, 513, 0), (frame.Kind, frame.StatusCode, frame.HeaderLength));
    }

    [Fact]
    public void Double_crlf_is_a_ping_and_a_lone_crlf_before_a_request_is_skipped()
    {
        Assert.Equal(new TcpFrame(TcpFrameKind.Ping, 4), Next("\r\n\r\n"));
        Assert.Equal(new TcpFrame(TcpFrameKind.Ping, 4), Next("\r\n\r\n" + Options));
        Assert.Equal(new TcpFrame(TcpFrameKind.Skip, 2), Next("\r\n" + Options));
        Assert.Equal(TcpFrameKind.NeedMore, Next("\r\n").Kind);
        Assert.Equal(TcpFrameKind.NeedMore, Next("\r\n\r").Kind);
    }

    [Fact]
    public void Finds_boundaries_across_segments()
    {
        var bytes = Encoding.ASCII.GetBytes(Options);
        var sequence = Segmented(bytes, 3);
        Assert.Equal(new TcpFrame(TcpFrameKind.Message, bytes.Length), TcpSipFramer.Next(sequence, 1024, 4096));
    }

    private static TcpFrame Next(string text) =>
        TcpSipFramer.Next(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), 64 * 1024, 256 * 1024);

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        var first = new Segment(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
        var last = first;
        for (var offset = size; offset < bytes.Length; offset += size)
        {
            last = last.Append(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
