using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

public sealed class FrameWindowTests
{
    [Fact]
    public void A_frame_is_centred_on_its_hop_and_zero_padded_past_the_edges_and_over_bad_samples()
    {
        var pcm = new float[400];
        for (var n = 0; n < pcm.Length; n++)
        {
            pcm[n] = n + 1;
        }

        pcm[3] = float.NaN;
        var frame = new float[SpectralTables.FrameLength];
        Array.Fill(frame, -1f);

        // Frame 0 is centred on sample 80: it starts 176 samples before the span.
        var used = FrameWindow.Copy(pcm, 0, frame);

        Assert.Equal(SpectralTables.FrameLength - 176 - 1, used);
        Assert.All(frame[..176], s => Assert.Equal(0f, s));
        Assert.Equal(1f, frame[176]);
        Assert.Equal(0f, frame[176 + 3]);
        Assert.Equal(SpectralTables.FrameLength - 176, frame[^1]);
    }

    [Fact]
    public void The_level_ignores_a_dc_offset_and_reads_a_sine_at_its_rms()
    {
        var pcm = new float[16_000];
        for (var n = 0; n < pcm.Length; n++)
        {
            pcm[n] = (float)(0.4 + (0.5 * Math.Sin(2 * Math.PI * 500 * n / 16_000)));
        }

        var level = FrameWindow.LevelDb(pcm, 50, new float[SpectralTables.FrameLength]);

        // RMS of a 0.5 sine: 0.354, −9.03 dBFS; with the 0.4 offset counted it would read −5.3 dBFS.
        Assert.InRange(level, -9.2, -8.9);
        Assert.Equal(FrameTracks.FloorDb, FrameWindow.LevelDb(new float[100], 40, new float[SpectralTables.FrameLength]));
    }
}
