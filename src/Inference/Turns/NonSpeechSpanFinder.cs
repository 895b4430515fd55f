namespace StepAudio.Telephony.Inference.Turns;

/// <summary>
/// Finds stretches of audio outside speech that stand out from the background: candidate sighs, laughs, coughs, which
/// the VAD often does not call speech, so that they can be analysed too. Cheap: one energy value per 10 ms frame.
/// One owner per stream, not thread-safe, no allocation per frame.
/// </summary>
/// <remarks>
/// The noise floor follows quiet frames quickly downwards and slowly upwards (so a burst barely lifts it), and is frozen
/// inside a span. A span is a run of frames at least <see cref="NonSpeechSpanOptions.RiseDb"/> above the floor, quiet
/// gaps up to <see cref="NonSpeechSpanOptions.BridgeMs"/> bridged. Spans that touch speech are dropped (the VAD's
/// segment covers them); spans longer than the maximum are a new background, which the floor then adopts.
/// </remarks>
public sealed class NonSpeechSpanFinder
{
    private const int FrameSamples = 160; // 10 ms at 16 kHz
    private const double FloorFallRate = 0.3;
    private const double FloorRiseRate = 0.02;
    private const double ExitMarginDb = 3; // hysteresis: a span ends a little lower than it starts

    private readonly NonSpeechSpanOptions _options;
    private readonly int _minFrames;
    private readonly int _maxFrames;
    private readonly int _bridgeFrames;
    private double _frameEnergy;
    private int _frameFill;
    private long _frames;
    private bool _frameTouchedSpeech;
    private double _floorDb = double.NaN;
    private bool _open;
    private long _startFrame;
    private long _lastLoudFrame;
    private bool _tainted;

    /// <summary>Creates a finder for one stream.</summary>
    public NonSpeechSpanFinder(NonSpeechSpanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _minFrames = options.MinMs / 10;
        _maxFrames = options.MaxMs / 10;
        _bridgeFrames = options.BridgeMs / 10;
    }

    /// <summary>The running noise floor, dBFS (NaN before the first frame).</summary>
    public double NoiseFloorDb => _floorDb;

    /// <summary>Adds 16 kHz samples; <paramref name="inSpeech"/> says whether the VAD has a segment open for them.</summary>
    public void Process(ReadOnlySpan<float> samples16k, bool inSpeech, List<NonSpeechSpan> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);

        // Up to a frame at a time, summing in a local: the same additions in the same order as sample by sample, so
        // the same energies to the last bit, without two field writes and a branch per sample (this runs on every
        // packet of every call: issue 15).
        while (!samples16k.IsEmpty)
        {
            var take = Math.Min(FrameSamples - _frameFill, samples16k.Length);
            var energy = _frameEnergy;
            foreach (var sample in samples16k[..take])
            {
                energy += (double)sample * sample;
            }

            samples16k = samples16k[take..];
            _frameEnergy = energy;
            _frameTouchedSpeech |= inSpeech;
            _frameFill += take;
            if (_frameFill == FrameSamples)
            {
                OnFrame(10 * Math.Log10((_frameEnergy / FrameSamples) + 1e-10), _frameTouchedSpeech, completed);
                _frameEnergy = 0;
                _frameFill = 0;
                _frameTouchedSpeech = false;
                _frames++;
            }
        }
    }

    /// <summary>Ends the stream: closes a span still open.</summary>
    public void Complete(List<NonSpeechSpan> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (_open)
        {
            Close(completed);
        }
    }

    private void OnFrame(double db, bool inSpeech, List<NonSpeechSpan> completed)
    {
        if (double.IsNaN(_floorDb))
        {
            _floorDb = db;
            return;
        }

        if (_open)
        {
            _tainted |= inSpeech;
            if (db >= _floorDb + _options.RiseDb - ExitMarginDb)
            {
                _lastLoudFrame = _frames;
            }

            if (_frames - _startFrame >= _maxFrames)
            {
                // Too long for a vocal sound: the background changed. Start over from its level.
                _open = false;
                _floorDb = db;
                return;
            }

            if (_frames - _lastLoudFrame > _bridgeFrames)
            {
                Close(completed);
            }

            return;
        }

        if (!inSpeech && db >= _floorDb + _options.RiseDb)
        {
            _open = true;
            _tainted = false;
            _startFrame = _frames;
            _lastLoudFrame = _frames;
            return;
        }

        if (!inSpeech)
        {
            _floorDb += (db < _floorDb ? FloorFallRate : FloorRiseRate) * (db - _floorDb);
        }
    }

    private void Close(List<NonSpeechSpan> completed)
    {
        _open = false;
        var frames = _lastLoudFrame + 1 - _startFrame;
        if (!_tainted && frames >= _minFrames && frames <= _maxFrames)
        {
            completed.Add(new NonSpeechSpan(_startFrame * FrameSamples, (_lastLoudFrame + 1) * FrameSamples));
        }
    }
}
