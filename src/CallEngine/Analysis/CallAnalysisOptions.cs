using StepAudio.Telephony.Inference.Turns;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>How calls' audio is analysed for emotion and vocal sounds (section <c>Analysis</c>).</summary>
public sealed class CallAnalysisOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Analysis";

    /// <summary>Whether segments are analysed at all (frustration then comes from behaviour only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Spans waiting for analysis, over all calls. When full, new spans are skipped and counted: media never waits.
    /// Sized for bursts: calls' turns end together (a load test's callers all at once), and 64 skipped 9–13 % of spans
    /// at 200 calls on 2 cores with cores to spare, 1,024 none (README, held calls). A span is its audio, 64 KB per
    /// second (at most <see cref="MaxSpanSeconds"/>), so a full queue of 2–3 s turns holds about 160 MB.
    /// </summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Threads running the analyzer.</summary>
    public int Workers { get; set; } = 1;

    /// <summary>
    /// The Linux nice value of the analyzer threads (−20 to 19; 0 leaves them at the process's). Above 0 they give way
    /// to the RTP and VAD inference threads while those want the cores, and still get any core nothing else wants: the
    /// analysis may lag (a call's end waits up to <see cref="DrainTimeout"/> for it), a VAD window may not. Raising the
    /// value needs no privilege; a value below the process's needs CAP_SYS_NICE and is logged once when refused.
    /// </summary>
    public int WorkerNice { get; set; } = 10;

    /// <summary>
    /// Caller audio kept per call, in seconds, so a closed segment can be analysed: longer segments are analysed over
    /// their last this many seconds. Memory only, never written anywhere; 32 KB per second per call (16-bit).
    /// </summary>
    public int MaxSpanSeconds { get; set; } = 15;

    /// <summary>How long a call's end waits for its queued analyses before <c>CallEnded</c> is published without them.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long, after the end of a caller's turn, a flow waits for that turn's analysis before it decides: a
    /// <c>gather</c> or <c>branch</c> reading <c>emotion</c>, a vocal sound or <c>frustration</c> then sees this turn's
    /// result. When it is still not done the flow sees <c>unknown</c> (and its trace says so), never an earlier turn's.
    /// </summary>
    public TimeSpan TurnAnalysisWait { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The non-speech vocal sound candidates.</summary>
    public NonSpeechSpanOptions NonSpeech { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (QueueCapacity < 1 || Workers < 1 || MaxSpanSeconds < 1 || DrainTimeout < TimeSpan.Zero || TurnAnalysisWait < TimeSpan.Zero)
        {
            throw new ArgumentException("Analysis: QueueCapacity, Workers and MaxSpanSeconds must be at least 1, DrainTimeout and TurnAnalysisWait not negative.");
        }

        if (WorkerNice < -20 || WorkerNice > 19)
        {
            throw new ArgumentException("Analysis:WorkerNice must be between -20 and 19.");
        }

        NonSpeech.Validate();
    }
}
