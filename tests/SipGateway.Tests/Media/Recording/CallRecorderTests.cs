using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Media.Recording;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Tests.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Media.Recording;

/// <summary>Recordings checked with sox: its header reading and its per-channel extraction.</summary>
public sealed class CallRecorderTests : IDisposable
{
    private const short CallerLevel = 1000;
    private const short GatewayLevel = -2000;
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_call_is_recorded_as_aligned_stereo_with_silence_where_a_side_is_quiet()
    {
        var clock = new ManualTimeProvider();
        var path = _directory.File("call.wav");
        var gatewaySender = new NullSender();
        using (var recorder = new CallRecorder(path, clock, NullLogger.Instance))
        {
            var gateway = new RecordingAudioSender(gatewaySender, recorder);

            // 0–1 s the caller speaks; 1–2 s the gateway answers; 2–2.5 s both (barge-in); 2.5–3.5 s nobody; 3.5–4 s caller.
            for (int k = 0; k < 200; k++)
            {
                var t = Frame * k;
                bool callerTalks = t < TimeSpan.FromSeconds(1) || (t >= TimeSpan.FromSeconds(2) && t < TimeSpan.FromSeconds(2.5)) || t >= TimeSpan.FromSeconds(3.5);
                bool gatewayTalks = t >= TimeSpan.FromSeconds(1) && t < TimeSpan.FromSeconds(2.5);
                if (gatewayTalks)
                {
                    gateway.SendAudio(Fill(GatewayLevel), marker: false);
                }

                clock.Advance(Frame);
                if (callerTalks)
                {
                    // A caller frame is handed over when it has fully arrived, i.e. at the end of its 20 ms.
                    recorder.WriteCaller(Fill(CallerLevel));
                }
            }
        }

        Assert.Equal(75, gatewaySender.Frames);
        var info = ExternalTool.Run("sox", "--i", path);
        Assert.Contains("Channels       : 2", info, StringComparison.Ordinal);
        Assert.Contains("Sample Rate    : 8000", info, StringComparison.Ordinal);
        Assert.Contains("Precision      : 16-bit", info, StringComparison.Ordinal);
        Assert.Equal(4.0, double.Parse(ExternalTool.Run("sox", "--i", "-D", path).Trim(), CultureInfo.InvariantCulture), 3);

        var left = Channel(path, 1);
        var right = Channel(path, 2);
        Assert.Equal(32_000, left.Length);
        Assert.Equal(32_000, right.Length);
        for (int i = 0; i < left.Length; i++)
        {
            double t = i / 8000.0;
            short expectedLeft = t < 1 || (t >= 2 && t < 2.5) || t >= 3.5 ? CallerLevel : (short)0;
            short expectedRight = t >= 1 && t < 2.5 ? GatewayLevel : (short)0;
            Assert.True(expectedLeft == left[i], $"left sample {i} ({t:0.0000} s) is {left[i]}, expected {expectedLeft}");
            Assert.True(expectedRight == right[i], $"right sample {i} ({t:0.0000} s) is {right[i]}, expected {expectedRight}");
        }
    }

    [Fact]
    public void Jittery_arrivals_stay_contiguous_and_a_real_gap_stays_a_gap()
    {
        var clock = new ManualTimeProvider();
        var path = _directory.File("jitter.wav");
        var jitter = new[] { 0, 12, 3, 15, 7, 0, 9, 14, 2, 11 };
        using (var recorder = new CallRecorder(path, clock, NullLogger.Instance))
        {
            var last = TimeSpan.Zero;
            for (int k = 0; k < 100; k++)
            {
                // Frame k ends at (k + 1) × 20 ms but arrives up to 15 ms later; a 500 ms outage follows frame 49.
                var arrival = (Frame * (k + 1)) + TimeSpan.FromMilliseconds(jitter[k % jitter.Length]) + (k >= 50 ? TimeSpan.FromMilliseconds(500) : TimeSpan.Zero);
                clock.Advance(arrival > last ? arrival - last : TimeSpan.Zero);
                last = arrival > last ? arrival : last;
                recorder.WriteCaller(Fill(CallerLevel));
            }
        }

        var left = Channel(path, 1);
        Assert.All(left[..8000], s => Assert.Equal(CallerLevel, s));

        // The outage: 500 ms of silence (give or take the jitter of the frame after it), then the rest.
        int gap = left.AsSpan(8000).IndexOfAnyExcept((short)0);
        Assert.InRange(gap, 4000 - 8, 4000 + 8 * 15);
        Assert.Equal(16_000, left.Count(s => s == CallerLevel));
    }

    [Fact]
    public void A_long_recording_is_written_as_it_goes()
    {
        var clock = new ManualTimeProvider();
        var path = _directory.File("long.wav");
        using var recorder = new CallRecorder(path, clock, NullLogger.Instance);
        for (int k = 0; k < 1000; k++)
        {
            clock.Advance(Frame);
            recorder.WriteCaller(Fill(CallerLevel));
        }

        // 20 s of stereo audio is 640,000 bytes; all but the open two-second window must be on disk already.
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Assert.True(reader.Length >= 44 + (18 * 8000 * 4), $"only {reader.Length} bytes written so far");
    }

    private static short[] Fill(short value) => Enumerable.Repeat(value, RtpSession.SamplesPerFrame).ToArray();

    private short[] Channel(string wav, int channel)
    {
        var raw = _directory.File($"channel{channel}-{Guid.NewGuid():N}.raw");
        ExternalTool.Run("sox", wav, "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", raw, "remix", channel.ToString(CultureInfo.InvariantCulture));
        return RawAudio.ReadInt16(raw);
    }

    private sealed class NullSender : IRtpAudioSender
    {
        public int Frames { get; private set; }

        public bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker = false)
        {
            Frames++;
            return true;
        }
    }
}
