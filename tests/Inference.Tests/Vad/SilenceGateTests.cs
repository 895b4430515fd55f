using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Inference.Tests.Vad;

/// <summary>The silence gate: which windows it lets pass without the model, and that it never moves a speech onset.</summary>
public sealed class SilenceGateTests : IClassFixture<VadModelFixture>, IClassFixture<SpeechCorpusFixture>
{
    private const int Window = SileroVadModel.WindowSamples;
    private readonly VadModelFixture _model;
    private readonly SpeechCorpusFixture _corpus;

    public SilenceGateTests(VadModelFixture model, SpeechCorpusFixture corpus)
    {
        _model = model;
        _corpus = corpus;
    }

    [Theory]
    [InlineData(-70f, true)]
    [InlineData(-61f, true)]
    [InlineData(-59f, false)]
    [InlineData(-30f, false)]
    public void Only_windows_below_the_level_after_non_speech_are_silent(float levelDbfs, bool silent)
    {
        var gate = new SilenceGate(-60f, negativeThreshold: 0.35f);
        var window = Tone(levelDbfs);

        Assert.Equal(silent, gate.IsSilent(window, quietWindows: SilenceGate.QuietWindowsBeforeGating));
        Assert.False(gate.IsSilent(window, quietWindows: SilenceGate.QuietWindowsBeforeGating - 1)); // too soon after speech
        Assert.True(gate.IsQuiet(0.34f));
        Assert.False(gate.IsQuiet(0.35f)); // the negative threshold: hysteresis keeps the segment open
    }

    [Fact]
    public void A_scheduled_stream_gates_silence_only_after_the_model_heard_256_ms_of_it()
    {
        var stream = new VadStream(new SilenceGate(-60f, 0.35f));
        var state = new float[SileroVadModel.StateSamplesPerStream];
        for (var w = 0; w < SilenceGate.QuietWindowsBeforeGating; w++)
        {
            stream.Write(new float[Window]); // digital silence, but the model has not confirmed it yet
            Assert.False(stream.TryGatePendingWindow(out _));
            stream.CompletePendingWindow(0.05f, state);
        }

        stream.Write(new float[Window]);
        Assert.True(stream.TryGatePendingWindow(out var gated));
        Assert.Equal(new VadWindowResult(8L * Window, 0f), gated);

        stream.Write(Tone(-20f)); // audible: the model must run
        Assert.False(stream.TryGatePendingWindow(out _));
        stream.CompletePendingWindow(0.9f, state);

        stream.Write(new float[Window]); // silence right after speech: the model decides when speech ends
        Assert.False(stream.TryGatePendingWindow(out _));
        Assert.Equal(1, stream.WindowsGated);
    }

    [Fact]
    public void On_speech_with_pauses_the_gate_skips_the_pauses_and_finds_the_same_segments()
    {
        // Speech, 2 s of digital silence, speech again, 1 s of silence: every onset must be where the ungated model puts it.
        float[] audio = [.. _corpus.Clean, .. new float[32_000], .. _corpus.Telephone, .. new float[16_000]];

        var (ungated, ungatedWindows) = Segments(audio, gateDbfs: null);
        var (gated, gatedWindows) = Segments(audio, gateDbfs: -60f);

        // Same segments; an onset may come earlier (the gate resets the state to that of a fresh call, which the
        // model fires on sooner than on a state saturated by seconds of silence), never later.
        Assert.NotEmpty(ungated);
        Assert.Equal(ungated.Count, gated.Count);
        for (var i = 0; i < ungated.Count; i++)
        {
            Assert.InRange(gated[i].StartSample, ungated[i].StartSample - (20L * Window), ungated[i].StartSample);
            Assert.InRange(gated[i].EndSample, ungated[i].EndSample - (20L * Window), ungated[i].EndSample + (20L * Window));
        }
        Assert.Equal(0, ungatedWindows);
        Assert.True(gatedWindows >= 80, $"only {gatedWindows} silent windows were gated"); // ~3 s of the 3 s of silence
    }

    private (List<SpeechSegment> Segments, long Gated) Segments(float[] audio, float? gateDbfs)
    {
        var options = new VadOptions { ModelPath = _model.Options.ModelPath, SilenceGateDbfs = gateDbfs };
        using var detector = new SpeechDetector(_model.Model, options);
        var segments = new List<SpeechSegment>();
        for (var i = 0; i < audio.Length; i += 320)
        {
            detector.Process(audio.AsSpan(i, Math.Min(320, audio.Length - i)), segments);
        }

        detector.Complete(segments);
        return (segments, detector.WindowsGated);
    }

    private static float[] Tone(float levelDbfs)
    {
        var amplitude = MathF.Pow(10, levelDbfs / 20) * MathF.Sqrt(2); // RMS of a sine is amplitude / √2
        return [.. Enumerable.Range(0, Window).Select(i => amplitude * MathF.Sin(2 * MathF.PI * 250 * i / 16_000f))];
    }
}
