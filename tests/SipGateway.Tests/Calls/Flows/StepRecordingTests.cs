using StepAudio.Telephony.SipGateway.Calls.Flows;

namespace StepAudio.Telephony.SipGateway.Tests.Calls.Flows;

public sealed class StepRecordingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stepaudio-record-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Caller_audio_becomes_a_mono_wav_at_the_calls_rate_and_stops_at_dispose()
    {
        var path = Path.Combine(_directory, "step.wav");
        var recording = new StepRecording(path);

        recording.OnCallerAudio(new short[160], 8000);
        recording.OnCallerAudio(new short[160], 8000);
        recording.Dispose();
        recording.OnCallerAudio(new short[160], 8000);

        Assert.Equal(TimeSpan.FromMilliseconds(40), recording.Length);
        Assert.Null(recording.Failure);
        var wav = File.ReadAllBytes(path);
        Assert.Equal(44 + (2 * 320), wav.Length);
        Assert.Equal(1, BitConverter.ToInt16(wav, 22)); // channels
        Assert.Equal(8000, BitConverter.ToInt32(wav, 24)); // sample rate
    }

    [Fact]
    public void A_rate_change_mid_step_ends_the_recording_instead_of_mixing_rates()
    {
        var recording = new StepRecording(Path.Combine(_directory, "step.wav"));

        recording.OnCallerAudio(new short[160], 8000);
        recording.OnCallerAudio(new short[320], 16000);
        recording.OnCallerAudio(new short[160], 8000);
        recording.Dispose();

        Assert.Equal(TimeSpan.FromMilliseconds(20), recording.Length);
    }

    [Fact]
    public void An_unwritable_path_is_reported_to_the_flow_not_thrown_on_the_receive_loop()
    {
        var recording = new StepRecording(Path.Combine(_directory, "missing", "step.wav"));

        recording.OnCallerAudio(new short[160], 8000);

        Assert.IsAssignableFrom<IOException>(recording.Failure);
    }
}
