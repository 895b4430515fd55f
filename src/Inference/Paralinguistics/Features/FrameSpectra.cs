using System.Buffers;
using StepAudio.Telephony.Inference.Dsp;

namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// The spectral measures of <see cref="FrameTracks"/>, frame after frame: one 512-point real FFT per active frame and,
/// from its power over the telephone band, flatness, tilt, the syllable-band level, the low-band share, the mel-spaced
/// band levels and contrasts, and (when asked) the mel-filter levels. Arrays are rented for the span and returned on
/// dispose; a frame <see cref="Silence"/> was called for holds 0 (the syllable band its floor).
/// </summary>
internal sealed class FrameSpectra : IDisposable
{
    private const int FrameLength = SpectralTables.FrameLength;
    private const int LowBandEndBin = 32; // 1000 Hz
    private const int SyllableBandEndBin = 64; // 2000 Hz: F1/F2 of vowels carry the syllable nuclei
    private const float PowerEpsilon = 1e-12f;

    private readonly int _count;
    private readonly float[] _flatness;
    private readonly float[] _tilt;
    private readonly float[] _syllableBandDb;
    private readonly float[] _lowShare;
    private readonly float[] _bands;
    private readonly float[] _contrast;

    /// <summary>Empty when the mel-filter levels are not kept (the cepstrum's cost is spared).</summary>
    private readonly float[] _mel;

    /// <param name="count">Frames of the span.</param>
    /// <param name="melCepstrum">Also keep the mel-filter levels (<see cref="MelLevelsDb"/>).</param>
    public FrameSpectra(int count, bool melCepstrum)
    {
        _count = count;
        var size = Math.Max(count, 1);
        _flatness = ArrayPool<float>.Shared.Rent(size);
        _tilt = ArrayPool<float>.Shared.Rent(size);
        _syllableBandDb = ArrayPool<float>.Shared.Rent(size);
        _lowShare = ArrayPool<float>.Shared.Rent(size);
        _bands = ArrayPool<float>.Shared.Rent(size * SpectralTables.BandCount);
        _contrast = ArrayPool<float>.Shared.Rent(size * SpectralTables.BandCount);
        _mel = melCepstrum ? ArrayPool<float>.Shared.Rent(size * MelCepstrum.Bands) : [];
    }

    /// <inheritdoc cref="FrameTracks.Flatness"/>
    public ReadOnlySpan<float> Flatness => _flatness.AsSpan(0, _count);

    /// <inheritdoc cref="FrameTracks.TiltDbPerOctave"/>
    public ReadOnlySpan<float> TiltDbPerOctave => _tilt.AsSpan(0, _count);

    /// <inheritdoc cref="FrameTracks.SyllableBandDb"/>
    public ReadOnlySpan<float> SyllableBandDb => _syllableBandDb.AsSpan(0, _count);

    /// <inheritdoc cref="FrameTracks.LowShare"/>
    public ReadOnlySpan<float> LowShare => _lowShare.AsSpan(0, _count);

    /// <inheritdoc cref="FrameTracks.BandLevelsDb"/>
    public ReadOnlySpan<float> BandLevelsDb => _bands.AsSpan(0, _count * SpectralTables.BandCount);

    /// <inheritdoc cref="FrameTracks.BandContrastDb"/>
    public ReadOnlySpan<float> BandContrastDb => _contrast.AsSpan(0, _count * SpectralTables.BandCount);

    /// <inheritdoc cref="FrameTracks.MelLevelsDb"/>
    public ReadOnlySpan<float> MelLevelsDb => _mel.Length > 0 ? _mel.AsSpan(0, _count * MelCepstrum.Bands) : [];

    /// <summary>Gives frame <paramref name="i"/> the values of a frame with no sound (the rented arrays hold old data).</summary>
    public void Silence(int i)
    {
        _flatness[i] = 0;
        _tilt[i] = 0;
        _syllableBandDb[i] = FrameTracks.FloorDb;
        _lowShare[i] = 0;
        _bands.AsSpan(i * SpectralTables.BandCount, SpectralTables.BandCount).Clear();
        _contrast.AsSpan(i * SpectralTables.BandCount, SpectralTables.BandCount).Clear();
        if (_mel.Length > 0)
        {
            _mel.AsSpan(i * MelCepstrum.Bands, MelCepstrum.Bands).Clear();
        }
    }

    /// <summary>Measures frame <paramref name="i"/>.</summary>
    /// <param name="i">The frame.</param>
    /// <param name="frame">
    /// The frame's <see cref="SpectralTables.FrameLength"/> samples, unwindowed (<see cref="FrameWindow.Copy"/>);
    /// windowed and transformed in place.
    /// </param>
    /// <param name="im">Scratch of <see cref="SpectralTables.FrameLength"/> floats for the imaginary parts.</param>
    public void Measure(int i, Span<float> frame, Span<float> im)
    {
        var window = SpectralTables.Hann;
        for (var k = 0; k < FrameLength; k++)
        {
            frame[k] *= window[k];
        }

        // Bins 0 … FrameLength/2 of the real frame, at half the cost of the complex transform (issue 15).
        RadixTwoFft.ForwardReal(frame[..FrameLength], im[..FrameLength]);

        // Statistics over the telephone band only (G.711 keeps 300–3400 Hz), so wideband and telephone audio agree.
        var melOn = _mel.Length > 0;
        double logSum = 0, sum = 0, low = 0, syllable = 0;
        Span<double> bands = stackalloc double[SpectralTables.BandCount];
        Span<double> bandLogSum = stackalloc double[SpectralTables.BandCount];
        Span<double> bandLogMax = stackalloc double[SpectralTables.BandCount];
        bandLogMax.Fill(double.NegativeInfinity);
        Span<double> mel = stackalloc double[MelCepstrum.Bands];
        var risingBand = MelFilterBank.RisingBand;
        var risingWeight = MelFilterBank.RisingWeight;
        var bandOf = SpectralTables.BandOfBin;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        var first = SpectralTables.BandFirstBin;
        var last = SpectralTables.BandLastBin;
        var log2F = SpectralTables.Log2Frequency;
        for (var b = first; b <= last; b++)
        {
            double power = ((double)frame[b] * frame[b]) + ((double)im[b] * im[b]) + PowerEpsilon;
            var logPower = Math.Log(power);
            logSum += logPower;
            sum += power;
            var band = bandOf[b];
            bands[band] += power;
            bandLogSum[band] += logPower;
            bandLogMax[band] = Math.Max(bandLogMax[band], logPower);
            if (melOn)
            {
                var rising = risingBand[b];
                if (rising >= 0)
                {
                    mel[rising] += risingWeight[b] * power;
                }

                if (rising != 0)
                {
                    mel[(rising < 0 ? MelCepstrum.Bands : rising) - 1] += (1 - risingWeight[b]) * power;
                }
            }

            if (b < LowBandEndBin)
            {
                low += power;
            }

            if (b < SyllableBandEndBin)
            {
                syllable += power;
            }

            var x = log2F[b];
            var y = 10 * logPower / Math.Log(10);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        var n = last - first + 1;
        _flatness[i] = (float)Math.Clamp(Math.Exp(logSum / n) / (sum / n), 0, 1);
        var denominator = (n * sxx) - (sx * sx);
        _tilt[i] = denominator > 0 ? (float)Math.Clamp(((n * sxy) - (sx * sy)) / denominator, -60, 60) : 0;
        _lowShare[i] = (float)(low / sum);
        var bandLevels = _bands.AsSpan(i * SpectralTables.BandCount, SpectralTables.BandCount);
        var contrast = _contrast.AsSpan(i * SpectralTables.BandCount, SpectralTables.BandCount);
        for (var k = 0; k < bandLevels.Length; k++)
        {
            bandLevels[k] = (float)(10 * Math.Log10((bands[k] + PowerEpsilon) / sum));
            contrast[k] = (float)(10 / Math.Log(10) * (bandLogMax[k] - (bandLogSum[k] / SpectralTables.BinsInBand[k])));
        }

        _syllableBandDb[i] = (float)Math.Max(10 * Math.Log10(syllable), FrameTracks.FloorDb);
        if (!melOn)
        {
            return;
        }

        var melLevels = _mel.AsSpan(i * MelCepstrum.Bands, MelCepstrum.Bands);
        for (var k = 0; k < melLevels.Length; k++)
        {
            melLevels[k] = (float)Math.Max(10 * Math.Log10(mel[k] + PowerEpsilon), FrameTracks.FloorDb);
        }
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_flatness);
        ArrayPool<float>.Shared.Return(_tilt);
        ArrayPool<float>.Shared.Return(_syllableBandDb);
        ArrayPool<float>.Shared.Return(_lowShare);
        ArrayPool<float>.Shared.Return(_bands);
        ArrayPool<float>.Shared.Return(_contrast);
        if (_mel.Length > 0)
        {
            ArrayPool<float>.Shared.Return(_mel);
        }
    }
}
