using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

/// <summary>
/// The spectral evidence of an octave candidate (the octave path charges readings above the best-evidenced candidate
/// for it): on a voice whose fundamental a telephone line removed, the true fundamental scores above both twice it and
/// half of it.
/// </summary>
public sealed class HarmonicEvidenceTests
{
    [Theory]
    [InlineData(110.0)]
    [InlineData(180.0)]
    [InlineData(260.0)]
    public void The_missing_fundamental_scores_above_its_octaves(double f0)
    {
        // Harmonics from 300 Hz up only (what G.711 keeps of the voice), falling 6 dB per octave, at 8 kHz.
        var pcm = new float[8_000];
        for (var n = 0; n < pcm.Length; n++)
        {
            double sample = 0;
            for (var k = (int)Math.Ceiling(300 / f0); k * f0 <= 3400; k++)
            {
                sample += Math.Sin(2 * Math.PI * k * f0 * n / 8_000) / k;
            }

            pcm[n] = (float)(0.1 * sample);
        }

        float[] candidates = [(float)f0, (float)(f0 / 2), (float)(f0 * 2), (float)(f0 / 3)];
        var evidence = new float[candidates.Length];
        HarmonicEvidence.Measure(pcm, 4_000, 300, candidates, evidence, new float[HarmonicEvidence.Window], new float[HarmonicEvidence.Window]);

        Assert.True(evidence[0] > 10, $"fundamental {evidence[0]:F1} dB");
        Assert.True(evidence[0] > evidence[1] + 3, $"fundamental {evidence[0]:F1} dB, half of it {evidence[1]:F1} dB");
        Assert.True(evidence[0] > evidence[2] + 10, $"fundamental {evidence[0]:F1} dB, twice it {evidence[2]:F1} dB");
        Assert.True(evidence[0] > evidence[3] + 3, $"fundamental {evidence[0]:F1} dB, a third of it {evidence[3]:F1} dB");
    }

    [Fact]
    public void A_candidate_of_zero_has_no_evidence()
    {
        var evidence = new float[] { 7, 7 };
        HarmonicEvidence.Measure(new float[8_000], 4_000, 300, [0f, 0f], evidence, new float[HarmonicEvidence.Window], new float[HarmonicEvidence.Window]);
        Assert.All(evidence, e => Assert.Equal(0f, e));
    }
}
