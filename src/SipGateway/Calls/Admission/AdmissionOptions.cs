namespace StepAudio.Telephony.SipGateway.Calls.Admission;

/// <summary>
/// The overload guard (section <c>Admission</c>): stop taking new calls while the voice-activity inference cannot keep
/// up, so that the calls already up keep being heard instead of every call going a little deaf. New INVITEs (and
/// OPTIONS probes) get 503 Service Unavailable with Retry-After meanwhile; calls in progress are never touched.
/// </summary>
public sealed class AdmissionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Admission";

    /// <summary>Whether the overload guard runs (on by default; the hard cap is <c>Calls:MaxConcurrentCalls</c>).</summary>
    public bool OverloadGuard { get; set; } = true;

    /// <summary>How often the guard reads the inference's lateness (each reading is one sample).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The sliding window over which late samples are counted.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Late samples within <see cref="Window"/> that make the host overloaded. A sample is late when at least
    /// <see cref="SkippedWindows"/> VAD windows were skipped for lateness since the previous one, when the inference
    /// backlog is at least <see cref="BacklogMs"/>, or when the inference threads were at least
    /// <see cref="BusyFraction"/> busy since the previous one.
    /// Two of five means one stall (a garbage collection, a burst of analyses) never refuses a call on its own.
    /// </summary>
    public int LateSamples { get; set; } = 2;

    /// <summary>
    /// VAD windows (32 ms each) skipped for lateness since the previous sample that make it late. 10 (a third of a
    /// second of one caller's audio, or one window on each of ten calls) keeps a single straggler from counting; every
    /// skipped window is still counted per call, in the metric and the log.
    /// </summary>
    public int SkippedWindows { get; set; } = 10;

    /// <summary>
    /// Backlog of unscored audio (ms) that counts as late before any window is skipped (they are at <c>Vad:MaxLagMs</c>,
    /// 500 by default): the earlier warning. 0 watches skipped windows only.
    /// </summary>
    public int BacklogMs { get; set; } = 250;

    /// <summary>
    /// Share of the wall time (0–1) the VAD inference threads spent running batches since the previous sample that
    /// makes it late; 0 turns this signal off. It leads the other two: it rises with each call added, while the
    /// backlog and the skips only appear once the threads have fallen behind, a few seconds and (at a ramp of 50
    /// calls/s) a hundred calls too late. 0.75 because on the 2-core test VM the threads were 42–64 % busy at 300 held
    /// calls, which they served without a skip, and 79–89 % at 400, which skipped windows on every call (README,
    /// held calls); queueing delay grows steeply past that point on any host.
    /// </summary>
    public double BusyFraction { get; set; } = 0.75;

    /// <summary>
    /// Busy share from which the guard also projects capacity: with C calls at busy share B it takes new calls only
    /// while there are fewer than C × <see cref="BusyFraction"/> / B, so a burst of arrivals stops near the line instead
    /// of seconds past it. Below this share (and below <see cref="ProjectFromCalls"/>) the threads' fixed cost would
    /// make a call look dearer than it is. 0 turns the projection off.
    /// </summary>
    public double ProjectFromBusy { get; set; } = 0.5;

    /// <summary>Calls in progress from which the capacity is projected (see <see cref="ProjectFromBusy"/>).</summary>
    public int ProjectFromCalls { get; set; } = 20;

    /// <summary>Hysteresis: how long the samples must stay clean before new calls are taken again.</summary>
    public TimeSpan ClearFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry-After of the 503 answers while overloaded or at <c>Calls:MaxConcurrentCalls</c>.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> on values the guard cannot work with.</summary>
    public void Validate()
    {
        if (SampleInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("Admission:SampleInterval must be positive.");
        }

        if (Window < SampleInterval)
        {
            throw new ArgumentException("Admission:Window must be at least Admission:SampleInterval.");
        }

        if (LateSamples < 1 || LateSamples > SamplesPerWindow)
        {
            throw new ArgumentException($"Admission:LateSamples must be between 1 and the samples in a window ({SamplesPerWindow}).");
        }

        if (SkippedWindows < 1)
        {
            throw new ArgumentException("Admission:SkippedWindows must be at least 1.");
        }

        if (!(BusyFraction >= 0 && BusyFraction <= 1) || !(ProjectFromBusy >= 0 && ProjectFromBusy <= 1))
        {
            throw new ArgumentException("Admission:BusyFraction and ProjectFromBusy must be between 0 (off) and 1.");
        }

        if (ProjectFromCalls < 1)
        {
            throw new ArgumentException("Admission:ProjectFromCalls must be at least 1.");
        }

        if (BacklogMs < 0 || ClearFor < TimeSpan.Zero || RetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentException("Admission:BacklogMs, ClearFor and RetryAfter must not be negative.");
        }
    }

    /// <summary>Samples that fit in <see cref="Window"/>.</summary>
    internal int SamplesPerWindow => (int)Math.Max(1, Window.Ticks / Math.Max(1, SampleInterval.Ticks));
}
