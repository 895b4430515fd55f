using BenchmarkDotNet.Attributes;
using StepAudio.Telephony.Inference.Dsp;
using StepAudio.Telephony.Inference.Dtmf;
using StepAudio.Telephony.Inference.Resampling;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Codecs.G722;

namespace StepAudio.Telephony.Benchmarks;

/// <summary>The per-frame media kernels, each on one 20 ms frame (160 samples at 8 kHz, 320 at 16 kHz).</summary>
[MemoryDiagnoser]
public class FrameKernels
{
    private const int Narrow = 160;
    private const int Wide = 320;

    private readonly byte[] _g711 = new byte[Narrow];
    private readonly byte[] _g722 = new byte[Narrow];
    private readonly short[] _pcm8k = new short[Narrow];
    private readonly short[] _pcm16k = new short[Wide];
    private readonly short[] _decoded8k = new short[Narrow];
    private readonly short[] _decoded16k = new short[Wide];
    private readonly float[] _float8k = new float[Narrow];
    private readonly float[] _float16k = new float[Wide];
    private readonly float[] _downsampled = new float[Narrow];
    private readonly G722Encoder _g722Encoder = new();
    private readonly G722Decoder _g722Decoder = new();
    private readonly Upsampler8kTo16k _upsampler = new();
    private readonly Downsampler16kTo8k _downsampler = new();
    private readonly GoertzelDtmfDetector _dtmf = new();
    private readonly float[] _fftInput = new float[512];
    private readonly float[] _fftRe = new float[512];
    private readonly float[] _fftIm = new float[512];

    [GlobalSetup]
    public void Setup()
    {
        // Speech-like input: a few harmonics plus noise, so the codecs do not run on a degenerate signal.
        var random = new Random(20);
        for (var n = 0; n < Wide; n++)
        {
            double t = n / 16000.0;
            double s = (0.3 * Math.Sin(2 * Math.PI * 220 * t)) + (0.2 * Math.Sin(2 * Math.PI * 660 * t)) + (0.05 * ((random.NextDouble() * 2) - 1));
            _pcm16k[n] = (short)(s * 32767);
            _float16k[n] = (float)s;
        }

        for (var n = 0; n < Narrow; n++)
        {
            _pcm8k[n] = _pcm16k[2 * n];
            _float8k[n] = _float16k[2 * n];
        }

        for (var n = 0; n < _fftInput.Length; n++)
        {
            _fftInput[n] = (float)((0.3 * Math.Sin(2 * Math.PI * 220 * n / 16000.0)) + (0.05 * ((random.NextDouble() * 2) - 1)));
        }

        MuLawCodec.Instance.Encode(_pcm8k, _g711);
        new G722Encoder().Encode(_pcm16k, _g722);
    }

    /// <summary>The analysis spectrum of one 32 ms frame (512 samples at 16 kHz) as a complex transform of the real frame.</summary>
    [Benchmark(Description = "FFT 512, complex")]
    public float FftComplex()
    {
        _fftInput.CopyTo(_fftRe, 0);
        Array.Clear(_fftIm);
        RadixTwoFft.Forward(_fftRe, _fftIm);
        return _fftRe[10];
    }

    /// <summary>The same spectrum (bins 0 … 256) through the half-length real transform the analysis uses since issue 15.</summary>
    [Benchmark(Description = "FFT 512, real")]
    public float FftReal()
    {
        _fftInput.CopyTo(_fftRe, 0);
        RadixTwoFft.ForwardReal(_fftRe, _fftIm);
        return _fftRe[10];
    }

    [Benchmark(Description = "µ-law decode")]
    public int MuLawDecode() => MuLawCodec.Instance.Decode(_g711, _decoded8k);

    [Benchmark(Description = "A-law decode")]
    public int ALawDecode() => ALawCodec.Instance.Decode(_g711, _decoded8k);

    [Benchmark(Description = "G.722 encode")]
    public int G722Encode() => _g722Encoder.Encode(_pcm16k, _g722);

    [Benchmark(Description = "G.722 decode")]
    public int G722Decode() => _g722Decoder.Decode(_g722, _decoded16k);

    [Benchmark(Description = "8→16 kHz upsample")]
    public void Upsample() => _upsampler.Process(_float8k, _float16k);

    [Benchmark(Description = "µ-law decode + upsample")]
    public void MuLawDecodeAndUpsample()
    {
        MuLawCodec.Instance.Decode(_g711, _decoded8k);
        PcmConversion.ToFloat(_decoded8k, _float8k);
        _upsampler.Process(_float8k, _float16k);
    }

    /// <summary>In-band DTMF detection, which the gateway runs on every narrowband frame of every call.</summary>
    [Benchmark(Description = "in-band DTMF (Goertzel)")]
    public int InBandDtmf()
    {
        _dtmf.Process(_pcm8k);
        return _dtmf.Pending;
    }

    [Benchmark(Description = "16→8 kHz downsample")]
    public int Downsample() => _downsampler.Process(_float16k, _downsampled);
}
