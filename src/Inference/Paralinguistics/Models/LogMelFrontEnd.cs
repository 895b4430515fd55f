using StepAudio.Telephony.Inference.Dsp;

namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>
/// Kaldi-style log-mel filterbank ("fbank") at 16 kHz: frames with snip-edges, DC removal, pre-emphasis 0.97, Povey
/// window, power spectrum, triangular mel bands from 20 Hz to Nyquist, natural log floored at float epsilon. That is
/// the front end SenseVoice, CED and most Kaldi/WeNet-trained models were trained on; model-specific normalisation
/// (CMVN, LFR stacking) is not applied. Immutable after construction, so one instance serves every thread.
/// </summary>
public sealed class LogMelFrontEnd
{
    /// <summary>Sample rate of the input.</summary>
    public const int SampleRate = 16_000;

    private const double PreEmphasis = 0.97;
    private const double LowFrequencyHz = 20;
    private const float LogFloor = 1.1920929e-07f;

    private readonly double[] _window;
    private readonly int _fftSize;
    private readonly float[][] _melWeights;
    private readonly int[] _melFirstBin;

    /// <summary>Creates a front end with <paramref name="melBins"/> bands and the given window and hop.</summary>
    public LogMelFrontEnd(int melBins, double windowMs, double hopMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(melBins, 1);
        WindowSamples = (int)Math.Round(windowMs * SampleRate / 1000);
        HopSamples = Math.Max(1, (int)Math.Round(hopMs * SampleRate / 1000));
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowSamples, 16, nameof(windowMs));
        MelBins = melBins;
        _fftSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)WindowSamples);

        _window = new double[WindowSamples];
        for (var i = 0; i < WindowSamples; i++)
        {
            _window[i] = Math.Pow(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (WindowSamples - 1))), 0.85);
        }

        (_melWeights, _melFirstBin) = BuildMelBanks(melBins, _fftSize);
    }

    /// <summary>Mel bands per frame.</summary>
    public int MelBins { get; }

    /// <summary>Samples per analysis window.</summary>
    public int WindowSamples { get; }

    /// <summary>Samples between frame starts.</summary>
    public int HopSamples { get; }

    /// <summary>Frames produced for <paramref name="samples"/> input samples (at least 1: short input is zero-padded).</summary>
    public int FrameCount(int samples) => samples <= WindowSamples ? 1 : 1 + ((samples - WindowSamples) / HopSamples);

    /// <summary>Computes log-mel frames into <paramref name="output"/>, frame-major ([T, F]).</summary>
    public void Compute(ReadOnlySpan<float> pcm16k, Span<float> output)
    {
        var frames = FrameCount(pcm16k.Length);
        if (output.Length < frames * MelBins)
        {
            throw new ArgumentException($"Output must hold {frames} × {MelBins} values.", nameof(output));
        }

        var real = new float[_fftSize];
        var imag = new float[_fftSize];
        var power = new double[(_fftSize / 2) + 1];
        for (var t = 0; t < frames; t++)
        {
            var start = t * HopSamples;
            var available = Math.Clamp(pcm16k.Length - start, 0, WindowSamples);
            Array.Clear(real);
            Array.Clear(imag);
            double mean = 0;
            for (var i = 0; i < available; i++)
            {
                mean += pcm16k[start + i];
            }

            mean /= WindowSamples;
            for (var i = 0; i < WindowSamples; i++)
            {
                real[i] = (float)((i < available ? pcm16k[start + i] : 0) - mean);
            }

            // Kaldi pre-emphasises backwards so the first sample uses itself as its predecessor.
            for (var i = WindowSamples - 1; i > 0; i--)
            {
                real[i] = (float)(real[i] - (PreEmphasis * real[i - 1]));
            }

            real[0] = (float)(real[0] - (PreEmphasis * real[0]));
            for (var i = 0; i < WindowSamples; i++)
            {
                real[i] = (float)(real[i] * _window[i]);
            }

            RadixTwoFft.Forward(real, imag);
            for (var k = 0; k < power.Length; k++)
            {
                power[k] = ((double)real[k] * real[k]) + ((double)imag[k] * imag[k]);
            }

            var row = output.Slice(t * MelBins, MelBins);
            for (var m = 0; m < MelBins; m++)
            {
                var weights = _melWeights[m];
                var first = _melFirstBin[m];
                double energy = 0;
                for (var j = 0; j < weights.Length; j++)
                {
                    energy += weights[j] * power[first + j];
                }

                row[m] = MathF.Log(Math.Max((float)energy, LogFloor));
            }
        }
    }

    private static double Mel(double hz) => 1127.0 * Math.Log(1 + (hz / 700.0));

    private static (float[][] Weights, int[] FirstBin) BuildMelBanks(int bins, int fftSize)
    {
        var weights = new float[bins][];
        var firstBin = new int[bins];
        var lowMel = Mel(LowFrequencyHz);
        var highMel = Mel(SampleRate / 2.0);
        var delta = (highMel - lowMel) / (bins + 1);
        var binHz = (double)SampleRate / fftSize;
        for (var m = 0; m < bins; m++)
        {
            var left = lowMel + (m * delta);
            var centre = left + delta;
            var right = centre + delta;
            var taps = new List<float>();
            var first = -1;
            for (var k = 1; k <= fftSize / 2; k++)
            {
                var mel = Mel(k * binHz);
                if (mel <= left || mel >= right)
                {
                    if (first >= 0)
                    {
                        break;
                    }

                    continue;
                }

                if (first < 0)
                {
                    first = k;
                }

                taps.Add((float)(mel <= centre ? (mel - left) / delta : (right - mel) / delta));
            }

            firstBin[m] = Math.Max(first, 0);
            weights[m] = [.. taps];
        }

        return (weights, firstBin);
    }
}
