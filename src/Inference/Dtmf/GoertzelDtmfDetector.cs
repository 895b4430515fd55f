using System.Runtime.Intrinsics;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Inference.Dtmf;

/// <summary>
/// Detects in-band DTMF key presses (ITU-T Q.23 frequencies) in 8 kHz linear PCM with the Goertzel algorithm.
/// Two 20 ms windows run half a window apart, so every 10 ms one window is judged: it must hold one row and one
/// column tone that carry most of its energy, within the twist limits and clearly above their neighbours. Two
/// agreeing windows in a row start a digit (so tones under ~30 ms are rejected and 40 ms ones accepted, ITU-T Q.24),
/// and the digit is reported once, when the key is released, with its duration. Nothing is allocated per frame.
/// </summary>
/// <remarks>Not thread-safe: feed it from one thread (the call's receive loop).</remarks>
public sealed class GoertzelDtmfDetector
{
    /// <summary>The only rate handled: DTMF arrives over G.711 narrowband.</summary>
    public const int SampleRate = 8000;

    /// <summary>Samples per analysis window (20 ms): bins 50 Hz wide keep adjacent rows (73 Hz apart) 13 dB apart.</summary>
    public const int WindowLength = 160;

    private const int Hop = WindowLength / 2;
    private const int MaxPending = 16;

    private static readonly float[] Frequencies = [697, 770, 852, 941, 1209, 1336, 1477, 1633];
    private static readonly float[] Coefficients = CreateCoefficients();
    private static readonly Vector256<float> CoefficientLanes = Vector256.Create(Coefficients);
    private static readonly char[,] Keys =
    {
        { '1', '2', '3', 'A' },
        { '4', '5', '6', 'B' },
        { '7', '8', '9', 'C' },
        { '*', '0', '#', 'D' },
    };

    // Two interleaved windows; each holds its Goertzel state (s1, s2 per frequency) and energy.
    // The eight frequencies are the eight lanes of one vector: a sample updates all of a window's filters in one
    // multiply-subtract, lane for lane the same float operations as eight scalar filters (in-band DTMF runs on every
    // packet of every call; the scalar loop was 5 % of a held call's CPU, issue 15).
    private readonly Vector256<float>[] _s1 = new Vector256<float>[2];
    private readonly Vector256<float>[] _s2 = new Vector256<float>[2];
    private readonly float[] _energy = new float[2];
    private readonly int[] _filled = [0, -Hop];
    private readonly float[] _power = new float[8];
    private readonly Queue<DtmfDigit> _completed = new(MaxPending);
    private long _samples;
    private char _candidate;
    private int _candidateHits;
    private char _active;
    private long _activeStartSample;
    private long _activeLastEndSample;
    private int _misses;

    /// <summary>The number of key presses waiting for <see cref="TryRead"/>.</summary>
    public int Pending => _completed.Count;

    /// <summary>Analyses <paramref name="pcm8k"/>, continuing where the previous call stopped.</summary>
    /// <remarks>
    /// The input is cut into runs that end where a window starts or is complete, and each run updates a window's
    /// filters with its state in locals: per sample the same float operations in the same order as one sample at a
    /// time, so the digits and durations do not depend on how the audio is framed (issue 15: this runs on every packet
    /// of every call, and the state kept in arrays cost a load and a store per sample and window).
    /// </remarks>
    public void Process(ReadOnlySpan<short> pcm8k)
    {
        while (!pcm8k.IsEmpty)
        {
            int run = Math.Min(pcm8k.Length, Math.Min(SamplesToBoundary(0), SamplesToBoundary(1)));
            var samples = pcm8k[..run];
            for (int w = 0; w < 2; w++)
            {
                if (_filled[w] < 0)
                {
                    // The second window starts half a window late.
                    _filled[w] += run;
                    continue;
                }

                Accumulate(w, samples);
                _filled[w] += run;
            }

            _samples += run;
            pcm8k = pcm8k[run..];

            // Runs end at a boundary, so at most one window (they are half a window apart) is complete here.
            for (int w = 0; w < 2; w++)
            {
                if (_filled[w] == WindowLength)
                {
                    Judge(w);
                    _filled[w] = 0;
                }
            }
        }
    }

    /// <summary>Ends the stream: a key still held is reported now.</summary>
    public void Flush()
    {
        if (_active != '\0')
        {
            Complete();
        }

        _candidate = '\0';
        _candidateHits = 0;
    }

    /// <summary>Takes the next completed key press, oldest first.</summary>
    public bool TryRead(out DtmfDigit digit) => _completed.TryDequeue(out digit);

    private static float[] CreateCoefficients()
    {
        var coefficients = new float[Frequencies.Length];
        for (int i = 0; i < coefficients.Length; i++)
        {
            // The exact frequency, not the nearest bin: the DTMF frequencies fall between the bins of a 160-point DFT.
            coefficients[i] = (float)(2 * Math.Cos(2 * Math.PI * Frequencies[i] / SampleRate));
        }

        return coefficients;
    }

    /// <summary>Samples until window <paramref name="window"/> starts (while waiting) or is complete.</summary>
    private int SamplesToBoundary(int window) => _filled[window] < 0 ? -_filled[window] : WindowLength - _filled[window];

    private void Accumulate(int window, ReadOnlySpan<short> samples)
    {
        var s1 = _s1[window];
        var s2 = _s2[window];
        float energy = _energy[window];
        foreach (var sample in samples)
        {
            // s0 = x + c·s1 − s2, evaluated left to right as the scalar form was (no fused multiply-add).
            float x = PcmConversion.ToFloat(sample);
            var s0 = (Vector256.Create(x) + (CoefficientLanes * s1)) - s2;
            s2 = s1;
            s1 = s0;
            energy += x * x;
        }

        _s1[window] = s1;
        _s2[window] = s2;
        _energy[window] = energy;
    }

    private void Judge(int window)
    {
        var lanes1 = _s1[window];
        var lanes2 = _s2[window];
        _s1[window] = Vector256<float>.Zero;
        _s2[window] = Vector256<float>.Zero;
        for (int f = 0; f < 8; f++)
        {
            float s1 = lanes1.GetElement(f);
            float s2 = lanes2.GetElement(f);

            // |X(f)|² scaled to the energy a sine at f contributes to the window (2|X|²/N).
            _power[f] = ((s1 * s1) + (s2 * s2) - (Coefficients[f] * s1 * s2)) * 2f / WindowLength;
        }

        char key = Classify(_energy[window]);
        _energy[window] = 0;
        OnWindow(key);
    }

    private char Classify(float energy)
    {
        int row = ArgMax(_power.AsSpan(0, 4));
        int column = ArgMax(_power.AsSpan(4, 4));
        float rowPower = _power[row];
        float columnPower = _power[4 + column];

        // Each tone at least −36 dBFS mean power (Q.24 asks for detection down to about −25 dBm0 per tone).
        const float MinTonePower = 2.5e-4f * WindowLength;
        if (rowPower < MinTonePower || columnPower < MinTonePower)
        {
            return '\0';
        }

        // Twist: the column (high) tone may be up to 8 dB weaker than the row tone, or 4 dB stronger (reverse twist).
        if (columnPower < rowPower * 0.158f || columnPower > rowPower * 2.51f)
        {
            return '\0';
        }

        // Relative peak: every other row and column at least 8 dB below the winner; speech and music fail here.
        for (int i = 0; i < 4; i++)
        {
            if ((i != row && _power[i] * 6.3f > rowPower) || (i != column && _power[4 + i] * 6.3f > columnPower))
            {
                return '\0';
            }
        }

        // The two tones must carry most of the window's energy: voiced speech spreads it over many harmonics.
        if (rowPower + columnPower < 0.7f * energy)
        {
            return '\0';
        }

        return Keys[row, column];
    }

    private void OnWindow(char key)
    {
        if (_active != '\0')
        {
            if (key == _active)
            {
                _misses = 0;
                _activeLastEndSample = _samples;
                return;
            }

            // One missing window is bridged: Q.24 tolerates interruptions of up to 10 ms within one key press.
            if (key == '\0' && ++_misses < 2)
            {
                return;
            }

            Complete();
        }

        if (key != '\0' && key == _candidate)
        {
            if (++_candidateHits >= 2)
            {
                _active = key;
                _activeStartSample = _samples - WindowLength - Hop;
                _activeLastEndSample = _samples;
                _misses = 0;
                _candidate = '\0';
                _candidateHits = 0;
            }

            return;
        }

        _candidate = key;
        _candidateHits = key == '\0' ? 0 : 1;
    }

    private void Complete()
    {
        if (_completed.Count == MaxPending)
        {
            // Nobody is reading; the oldest press is the least useful one to keep.
            _completed.Dequeue();
        }

        _completed.Enqueue(new DtmfDigit(
            _active,
            TimeSpan.FromSeconds((double)_activeStartSample / SampleRate),
            TimeSpan.FromSeconds((double)(_activeLastEndSample - _activeStartSample) / SampleRate)));
        _active = '\0';
        _misses = 0;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
