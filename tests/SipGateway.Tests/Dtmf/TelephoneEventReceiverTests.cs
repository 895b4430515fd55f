using CsCheck;
using StepAudio.Telephony.SipGateway.Dtmf;
using StepAudio.Telephony.SipGateway.Tests.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Dtmf;

public sealed class TelephoneEventReceiverTests : IDisposable
{
    private const uint Ssrc = 0x0e05384e;
    private readonly ManualTimeProvider _time = new();
    private readonly RecordingDtmfSink _sink = new();
    private readonly TelephoneEventReceiver _receiver;

    public TelephoneEventReceiverTests() => _receiver = new TelephoneEventReceiver(_sink, 8000, _time, TimeSpan.FromSeconds(1));

    public void Dispose() => _receiver.Dispose();

    [Fact]
    public void Updates_and_the_triple_end_give_one_digit_with_the_end_duration()
    {
        // The shape of sipp's dtmf_2833_1.pcap: updates every 20 ms, three end packets of 2240 (280 ms).
        for (ushort duration = 0; duration <= 1920; duration += 320)
        {
            Send(13280, 1, end: false, duration);
        }

        Send(13280, 1, end: true, 2240);
        Send(13280, 1, end: true, 2240);
        Send(13280, 1, end: true, 2240);

        var digit = Assert.Single(_sink.Digits);
        Assert.Equal('1', digit.Digit);
        Assert.Equal(TimeSpan.FromMilliseconds(280), digit.Duration);
        Assert.Equal("rfc4733", digit.Source);
        Assert.Equal(2, _receiver.PacketsIgnored);
    }

    [Fact]
    public void The_same_key_pressed_twice_is_two_digits_because_the_timestamps_differ()
    {
        Send(1000, 5, end: true, 800);
        Send(1000, 5, end: true, 800);
        Send(3000, 5, end: true, 800);

        Assert.Equal(['5', '5'], _sink.Digits.Select(d => d.Digit));
    }

    [Fact]
    public void A_digit_whose_end_packets_are_all_lost_completes_when_the_next_event_starts()
    {
        Send(1000, 10, end: false, 0);
        Send(1000, 10, end: false, 400);
        Send(5000, 11, end: false, 0);

        var star = Assert.Single(_sink.Digits);
        Assert.Equal('*', star.Digit);
        Assert.Equal(TimeSpan.FromMilliseconds(50), star.Duration);

        Send(5000, 11, end: true, 800);
        Assert.Equal(['*', '#'], _sink.Digits.Select(d => d.Digit));
    }

    [Fact]
    public void A_digit_whose_end_packets_are_all_lost_completes_after_the_timeout_and_only_once()
    {
        Send(1000, 9, end: false, 0);
        Send(1000, 9, end: false, 800);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Empty(_sink.Digits);

        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromMilliseconds(100), Assert.Single(_sink.Digits).Duration);

        // A straggler of the same event after the timeout must not start it again.
        Send(1000, 9, end: true, 1200);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(_sink.Digits);
    }

    [Fact]
    public void Updates_keep_an_event_alive_past_the_timeout()
    {
        for (int i = 0; i < 40; i++)
        {
            Send(1000, 3, end: false, (ushort)(i * 400));
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Empty(_sink.Digits);
        Send(1000, 3, end: true, 16000);
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.Single(_sink.Digits).Duration);
    }

    [Fact]
    public void Reordered_updates_do_not_shrink_the_duration_and_late_packets_of_an_old_event_are_ignored()
    {
        Send(1000, 1, end: false, 0);
        Send(1000, 1, end: false, 800);
        Send(1000, 1, end: false, 400); // arrives after the later update
        Send(1000, 1, end: true, 1200);
        Send(9000, 2, end: false, 0);
        Send(1000, 1, end: true, 1200); // a copy of the old end, delayed behind the next event
        Send(1000, 1, end: false, 400);
        Send(9000, 2, end: true, 640);

        Assert.Equal([('1', 150), ('2', 80)], _sink.Digits.Select(d => (d.Digit, (int)d.Duration.TotalMilliseconds)));
    }

    [Fact]
    public void An_end_packet_that_arrives_first_still_gives_the_digit_once()
    {
        Send(1000, 12, end: true, 960);
        Send(1000, 12, end: false, 320);
        Send(1000, 12, end: true, 960);

        Assert.Equal('A', Assert.Single(_sink.Digits).Digit);
    }

    [Theory]
    [InlineData(0xFFFFFF00u, 0x00000100u)]
    [InlineData(0x7FFFFF00u, 0x80000100u)]
    public void Event_timestamps_are_compared_modulo_two_to_the_32(uint first, uint second)
    {
        Send(first, 7, end: true, 800);
        Send(second, 8, end: true, 800);
        Send(first, 7, end: true, 800); // older in serial-number order

        Assert.Equal(['7', '8'], _sink.Digits.Select(d => d.Digit));
    }

    [Fact]
    public void A_timestamp_far_behind_the_last_event_is_a_restarted_clock_not_a_late_packet()
    {
        // sipp's dtmf_2833_pound then dtmf_2833_0: the second recording's timestamp is 9.4 s behind the first's.
        Send(92640, 11, end: true, 2240);
        Send(17632, 0, end: false, 320);
        Send(17632, 0, end: true, 2240);
        Send(92640, 11, end: true, 2240); // now far ahead again: a new event, not a repeat of the completed one

        Assert.Equal(['#', '0', '#'], _sink.Digits.Select(d => d.Digit));
    }

    [Fact]
    public void A_new_ssrc_starts_a_new_timestamp_space()
    {
        Send(50_000, 4, end: true, 800);
        _receiver.OnPacket(Ssrc + 1, 10, Payload(6, end: true, 800));

        Assert.Equal(['4', '6'], _sink.Digits.Select(d => d.Digit));
    }

    [Fact]
    public void Non_dtmf_events_and_short_payloads_give_no_digit()
    {
        Send(1000, 16, end: true, 800); // flash
        _receiver.OnPacket(Ssrc, 2000, [1, 0x80, 0]);

        Assert.Empty(_sink.Digits);
        Assert.Equal(2, _receiver.PacketsIgnored);
    }

    [Fact]
    public void Any_packet_sequence_never_throws_and_never_reports_a_timestamp_twice()
    {
        Gen.Select(Gen.UInt[0, 6], Gen.Byte[0, 20], Gen.Bool, Gen.UShort)
            .Array[0, 60]
            .Sample(packets =>
            {
                var sink = new RecordingDtmfSink();
                using var receiver = new TelephoneEventReceiver(sink, 8000, new ManualTimeProvider());
                foreach (var (timestamp, code, end, duration) in packets)
                {
                    receiver.OnPacket(Ssrc, timestamp * 1000, Payload(code, end, duration));
                }

                return sink.Digits.Count <= packets.Select(p => p.Item1).Distinct().Count();
            });
    }

    private void Send(uint timestamp, byte code, bool end, ushort duration) =>
        _receiver.OnPacket(Ssrc, timestamp, Payload(code, end, duration));

    private static byte[] Payload(byte code, bool end, ushort duration)
    {
        var payload = new byte[4];
        new TelephoneEventPayload(code, end, 10, duration).Write(payload);
        return payload;
    }
}
