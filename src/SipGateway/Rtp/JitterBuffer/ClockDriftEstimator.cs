namespace StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

/// <summary>
/// Estimates the sender's RTP clock rate against the local clock from the slope of transit time
/// (arrival − sender time). Network jitter only ever adds delay, so each one-second window keeps its minimum transit
/// and the slope is taken between the first window's minimum and the latest one's: queueing noise largely cancels.
/// Not thread-safe.
/// </summary>
internal sealed class ClockDriftEstimator
{
    private const double WindowSeconds = 1;
    private const double MinSpanSeconds = 10;

    private bool _hasWindow;
    private bool _hasReference;
    private double _referenceSender;
    private double _referenceTransit;
    private double _windowStart;
    private double _windowMin;
    private double _windowSenderAtMin;

    /// <summary>Positive when the sender's clock runs fast; 0 until 10 s of sender time have been seen.</summary>
    public double Ppm { get; private set; }

    public void Add(double senderSeconds, double arrivalSeconds)
    {
        double transit = arrivalSeconds - senderSeconds;
        if (!_hasWindow)
        {
            _hasWindow = true;
            _windowStart = senderSeconds;
            _windowMin = double.PositiveInfinity;
        }
        else if (senderSeconds - _windowStart >= WindowSeconds)
        {
            CloseWindow();
            _windowStart = senderSeconds;
            _windowMin = double.PositiveInfinity;
        }

        if (transit < _windowMin)
        {
            _windowMin = transit;
            _windowSenderAtMin = senderSeconds;
        }
    }

    public void Reset()
    {
        _hasWindow = false;
        _hasReference = false;
        Ppm = 0;
    }

    private void CloseWindow()
    {
        if (!_hasReference)
        {
            _hasReference = true;
            _referenceSender = _windowSenderAtMin;
            _referenceTransit = _windowMin;
            return;
        }

        double span = _windowSenderAtMin - _referenceSender;
        if (span >= MinSpanSeconds)
        {
            // A fast sender stamps more ticks per local second, so its packets look ever earlier: transit falls.
            Ppm = -(_windowMin - _referenceTransit) / span * 1e6;
        }
    }
}
