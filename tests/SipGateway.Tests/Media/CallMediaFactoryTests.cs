using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Dtmf;
using StepAudio.Telephony.SipGateway.Media;
using StepAudio.Telephony.SipGateway.Media.Playback;
using StepAudio.Telephony.SipGateway.Media.Recording;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Tests.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Media;

public sealed class CallMediaFactoryTests : IDisposable
{
    private const string CallId = "0192f0c0a1b2c3d4e5f60718293a4b5c";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Recording_is_off_unless_enabled()
    {
        var recordings = _directory.File("recordings");
        await using var media = Factory(new RecordingOptions { Directory = recordings }).Create(new CountingSender(), CallId, true, true);

        Assert.Null(media.RecordingPath);
        Assert.False(Directory.Exists(recordings));
    }

    [Fact]
    public async Task An_enabled_recording_is_named_by_call_id_and_holds_both_sides()
    {
        var clock = new ManualTimeProvider();
        var recordings = _directory.File("recordings");
        var media = Factory(new RecordingOptions { Enabled = true, Directory = recordings }, clock).Create(new CountingSender(), CallId, true, false);

        var play = media.Playout.PlayAsync(new short[5 * 160]);
        await ClockDriver.RunAsync(clock, play);
        media.OnCallerAudio(new short[160], 8000, 0, static (_, _) => { });
        await media.DisposeAsync();

        var path = Path.Combine(recordings, CallId + ".wav");
        Assert.Equal(path, media.RecordingPath);
        Assert.Equal("2", ExternalTool.Run("sox", "--i", "-c", path).Trim());
        Assert.Equal("800", ExternalTool.Run("sox", "--i", "-s", path).Trim());
    }

    [Fact]
    public async Task An_unwritable_recording_directory_leaves_the_call_unrecorded()
    {
        var blocker = _directory.File("not-a-directory");
        await File.WriteAllTextAsync(blocker, "x");

        await using var media = Factory(new RecordingOptions { Enabled = true, Directory = blocker }).Create(new CountingSender(), CallId, true, false);

        Assert.Null(media.RecordingPath);
    }

    [Theory]
    [InlineData(true, "5", 8000)]
    [InlineData(false, "", 8000)]
    [InlineData(true, "5", 16000)]
    public async Task In_band_digits_are_reported_only_when_asked_for(bool inband, string expected, int sampleRate)
    {
        // 16 kHz is what a G.722 call delivers; the detector works at 8 kHz, so the media layer must bring it down.
        var raw = _directory.File("five.raw");
        string rate = sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ExternalTool.Run("sox", "-n", "-r", rate, "-b", "16", "-e", "signed", "-c", "1", raw, "synth", "0.1", "sine", "770", "sine", "1336", "pad", "0", "0.1");
        var tone = RawAudio.ReadInt16(raw);
        var digits = new List<DtmfDigit>();
        await using var media = Factory(new RecordingOptions()).Create(new CountingSender(), CallId, true, inband);

        int frame = sampleRate / 50;
        for (int i = 0; i + frame <= tone.Length; i += frame)
        {
            media.OnCallerAudio(tone.AsSpan(i, frame), sampleRate, digits, static (list, d) => list.Add(d));
        }

        Assert.Equal(expected, new string(digits.Select(d => d.Digit).ToArray()));
    }

    [Fact]
    public async Task Speech_start_stops_a_prompt_that_allows_barge_in()
    {
        var clock = new ManualTimeProvider();
        var sender = new CountingSender();
        await using var media = Factory(new RecordingOptions(), clock).Create(sender, CallId, bargeInByDefault: true, inbandDtmf: false);
        var play = media.Playout.PlayAsync(new short[100 * 160]);
        while (sender.Frames < 3)
        {
            if (!clock.TryAdvanceToNextTimer())
            {
                await Task.Yield();
            }
        }

        media.OnSpeechStarted();
        await ClockDriver.RunAsync(clock, play);

        Assert.Equal(PlayoutResult.BargedIn, await play);
        Assert.InRange(sender.Frames, 3, 4);
    }

    private static CallMediaFactory Factory(RecordingOptions options, TimeProvider? time = null) =>
        new(Options.Create(options), time ?? new ManualTimeProvider(), NullLoggerFactory.Instance);

    private sealed class CountingSender : IRtpAudioSender
    {
        private int _frames;

        public int Frames => Volatile.Read(ref _frames);

        public bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker = false)
        {
            Interlocked.Increment(ref _frames);
            return true;
        }
    }
}
