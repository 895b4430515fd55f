using StepAudio.Telephony.SipGateway.Codecs.G722;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Codecs.G722;

/// <summary>Quality checks that do not depend on a reference implementation.</summary>
public sealed class G722RoundTripTests
{
    [Fact]
    public void A_1kHz_tone_round_trips_with_high_snr()
    {
        var pcm = G722Signals.Tone(1000, 10000, G722Signals.SampleRate);
        var encoded = new byte[pcm.Length / 2];
        var decoded = new short[pcm.Length];
        new G722Encoder().Encode(pcm, encoded);
        new G722Decoder().Decode(encoded, decoded);

        // The QMF pair delays the signal by a few dozen samples; search for it (a pure tone only fixes it modulo its period).
        int settle = 1600;
        int bestDelay = 0;
        double bestSnr = double.NegativeInfinity;
        for (var delay = 0; delay < 64; delay++)
        {
            double signal = 0;
            double noise = 0;
            for (var n = settle; n < pcm.Length - delay; n++)
            {
                double reference = pcm[n];
                double error = decoded[n + delay] - reference;
                signal += reference * reference;
                noise += error * error;
            }

            double snr = 10 * Math.Log10(signal / Math.Max(noise, 1e-9));
            if (snr > bestSnr)
            {
                bestSnr = snr;
                bestDelay = delay;
            }
        }

        Assert.True(bestSnr > 30, $"SNR {bestSnr:F1} dB at delay {bestDelay}");
    }

    [Fact]
    public void Encoding_and_decoding_a_frame_allocate_nothing()
    {
        var encoder = new G722Encoder();
        var decoder = new G722Decoder();
        var pcm = G722Signals.Tone(440, 8000, 320);
        var encoded = new byte[160];
        encoder.Encode(pcm, encoded);
        decoder.Decode(encoded, pcm);

        var encoding = Allocation.LeastOfThreeRounds(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                encoder.Encode(pcm, encoded);
            }
        });
        var decoding = Allocation.LeastOfThreeRounds(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                decoder.Decode(encoded, pcm);
            }
        });

        Assert.Equal((0L, 0L), (encoding, decoding));
    }
}
