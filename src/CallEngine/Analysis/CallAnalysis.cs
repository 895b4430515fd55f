using System.Buffers;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Turns;
using StepAudio.Telephony.CallEngine.Events;
using StepAudio.Telephony.CallEngine.Recognition;
using StepAudio.Telephony.CallEngine.Turns;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>
/// One call's hearing beyond words: keeps its recent audio, hands closed speech segments and candidate non-speech
/// sounds to the call's <see cref="ISegmentAnalysisRunner"/>, and turns results, key presses and barge-ins into emotion,
/// vocal-event and frustration events; also measures end-of-turn latency.
/// </summary>
/// <remarks>
/// Everything runs under the call's lock (<paramref name="gate"/>), also the results that come back on a worker
/// thread, so each event is stamped and published in one step and a call's events leave in sequence order.
/// </remarks>
public sealed class CallAnalysis(
    ISegmentAnalysisRunner? queue,
    CallAnalysisOptions options,
    FrustrationOptions frustration,
    CallEventFactory events,
    Action<ICallEvent> publish,
    object gate,
    TimeProvider time,
    Action? analysed = null,
    TurnWords? words = null)
{
    private const int SampleRate = SpeechSegment.SampleRate;

    private readonly AudioHistory _history = new((options.MaxSpanSeconds + 1) * SampleRate);

    // The caller's own voice so far: turns are judged against it, so a naturally low, quiet voice is not "sad".
    private readonly SpeakerBaseline _speaker = new();
    private readonly FrustrationTracker _frustration = new(frustration);
    private readonly TurnLatencyTracker _turns = new(time);
    private readonly NonSpeechSpanFinder? _spans = options.Enabled && queue is not null && options.NonSpeech.Enabled ? new NonSpeechSpanFinder(options.NonSpeech) : null;
    private readonly List<NonSpeechSpan> _closedSpans = [];
    private readonly VocalEventTally _vocal = new();
    private readonly AnalysesInFlight _inFlight = new();
    private long _lastVoiced = -1;
    private bool _inSpeech;
    private long _nextTick = SampleRate;
    private double _speechSeconds;
    private int _bargeIns;
    private EmotionLabel _emotion = EmotionLabel.Neutral;
    private readonly TurnLedger _ledger = new(analysed: options.Enabled && queue is not null);
    private TurnEmotionPublisher? _emotions;

    // Created on first use: it shares the call's in-flight count, a field this primary constructor cannot yet read.
    private TurnEmotionPublisher Emotions => _emotions ??= new TurnEmotionPublisher(events, publish, gate, _inFlight, words, analysed);

    /// <summary>The frustration score now: what a call flow branches on (<c>frustration &gt; 0.7</c>).</summary>
    public FrustrationTracker Frustration => _frustration;

    /// <summary>
    /// Spans handed to the analysis, spans not analysed because its queue was full, and spans whose analysis had not
    /// come back when the call's end stopped waiting (<see cref="CallAnalysisOptions.DrainTimeout"/>; their results
    /// were dropped). For the call's end line: the load test reads them.
    /// </summary>
    public (int Queued, int Skipped, int Unfinished) AnalysisCounts
    {
        get
        {
            lock (gate)
            {
                return (_inFlight.Queued, _inFlight.Skipped, _inFlight.UnfinishedAtClose);
            }
        }
    }

    /// <summary>
    /// The call's end stopped waiting for its analyses (<see cref="CompleteAsync"/>): a result that comes now is
    /// dropped, so a job of this call still queued is not worth its CPU (it is already counted as unfinished).
    /// </summary>
    internal bool IsClosed
    {
        get
        {
            lock (gate)
            {
                return _inFlight.Closed;
            }
        }
    }

    /// <summary>End-of-turn latencies of this call.</summary>
    public TurnLatencyTracker Turns => _turns;

    /// <summary>The caller's audio of samples <c>[start, end)</c> still held (16 kHz); call with the call's lock held.</summary>
    internal float[] CopyCallerAudio(long start, long end)
    {
        var copy = new float[Math.Max(0, (int)Math.Min(end - start, int.MaxValue))];
        var (_, count) = _history.CopyTo(start, end, copy);
        return count == copy.Length ? copy : copy[..count];
    }

    /// <summary>The latest emotion label (<see cref="EmotionLabel.Neutral"/> before any): what a flow branches on.</summary>
    public EmotionLabel LatestEmotion
    {
        get
        {
            lock (gate)
            {
                return _emotion;
            }
        }
    }

    /// <summary>The frustration score at the latest audio, read from another thread (takes the call's lock).</summary>
    public double CurrentFrustration
    {
        get
        {
            lock (gate)
            {
                return _frustration.Current;
            }
        }
    }

    /// <summary>
    /// What a flow reads as <c>emotion</c>: the latest turn's label in lower case, <c>unknown</c> while that turn's
    /// analysis has not come back (never an earlier turn's), <c>neutral</c> before any turn or when nothing is analysed.
    /// </summary>
    public string TurnEmotionName
    {
        get
        {
            lock (gate)
            {
                return _ledger.EmotionName();
            }
        }
    }

    /// <summary>The number of the latest closed turn (0 before any).</summary>
    public int LatestTurn
    {
        get
        {
            lock (gate)
            {
                return _ledger.Latest;
            }
        }
    }

    /// <summary>Whether every analysis of audio up to the end of <paramref name="turn"/> has come back.</summary>
    public bool IsTurnSettled(int turn)
    {
        lock (gate)
        {
            return _ledger.IsSettled(turn);
        }
    }

    /// <summary>The record of closed turn <paramref name="turn"/> as it stands now; null when unknown or long forgotten.</summary>
    public CallerTurn? Turn(int turn)
    {
        lock (gate)
        {
            return _ledger.Snapshot(turn);
        }
    }

    /// <summary>The number the turn in progress will get; call with the call's lock held.</summary>
    public int OpenTurn => _ledger.Open;

    /// <summary>Whether the VAD has a segment open.</summary>
    public bool CallerSpeaking
    {
        get
        {
            lock (gate)
            {
                return _inSpeech;
            }
        }
    }

    /// <summary>How many <paramref name="kind"/> sounds began at or after <paramref name="since"/> (media time).</summary>
    public int VocalEventCount(VocalEventKind kind, TimeSpan since)
    {
        lock (gate)
        {
            return _vocal.Count(kind, since);
        }
    }

    private TimeSpan Now => TimeSpan.FromSeconds((double)_history.Written / SampleRate);

    /// <summary>Caller audio after the VAD has seen it. Call with the call's lock held.</summary>
    /// <param name="samples16k">The audio, continuing the call's stream.</param>
    /// <param name="inSpeech">Whether the VAD has a segment open.</param>
    /// <param name="lastVoicedSampleEnd">The VAD's <see cref="SpeechDetector.LastVoicedSampleEnd"/>.</param>
    public void OnAudio(ReadOnlySpan<float> samples16k, bool inSpeech, long lastVoicedSampleEnd)
    {
        _history.Append(samples16k);
        _inSpeech = inSpeech;
        if (lastVoicedSampleEnd != _lastVoiced)
        {
            _lastVoiced = lastVoicedSampleEnd;
            _turns.OnVoiced(_lastVoiced);
        }

        if (_spans is not null)
        {
            _closedSpans.Clear();
            _spans.Process(samples16k, inSpeech, _closedSpans);
            foreach (var span in _closedSpans)
            {
                Enqueue(span.StartSample, span.EndSample, isSpeech: false, _ledger.Open);
            }
        }

        if (_history.Written >= _nextTick)
        {
            // Once per second of audio is plenty for decay and for noticing silence after a prompt.
            _nextTick += SampleRate;
            Report(_frustration.Tick(Now));
        }
    }

    /// <summary>The VAD heard speech begin; <paramref name="promptPlaying"/> makes it a barge-in.</summary>
    public void OnSpeechStarted(long sample, bool promptPlaying)
    {
        var at = TimeSpan.FromSeconds((double)sample / SampleRate);
        if (!promptPlaying)
        {
            Report(_frustration.OnSpeechStarted(at));
            return;
        }

        _bargeIns++;
        publish(events.BargeIn(at, _ledger.Open));
        Report(_frustration.OnBargeIn(at));
    }

    /// <summary>
    /// A speech segment closed: the turn in progress ends with it. Measures the turn's end latency and queues the
    /// segment's audio; returns the turn's number. Call with the call's lock held.
    /// </summary>
    /// <param name="segment">The segment.</param>
    /// <param name="decidedAtSample">Audio scored when it closed; <see langword="null"/> when the call's end closed it (no latency).</param>
    public int OnSegment(SpeechSegment segment, long? decidedAtSample)
    {
        _speechSeconds += segment.Duration.TotalSeconds;
        if (decidedAtSample is { } decided)
        {
            _turns.OnSegmentClosed(decided);
        }

        var turn = _ledger.Close(segment);
        Enqueue(segment.StartSample, segment.EndSample, isSpeech: true, turn);
        return turn;
    }

    /// <summary>The caller pressed a key.</summary>
    public void OnDtmf(char digit)
    {
        _ledger.OnKey(digit);
        Report(_frustration.OnDtmf(digit, Now));
    }

    /// <summary>The gateway started playing prompt <paramref name="promptId"/>; a <paramref name="continuation"/> (a loop) is no repeat.</summary>
    public void OnPromptStarted(string promptId, bool continuation = false) => Report(_frustration.OnPromptStarted(promptId, Now, continuation));

    /// <summary>The prompt finished; the caller's silence from here on counts, unless they are already speaking (barge-in).</summary>
    public void OnPromptFinished()
    {
        if (!_inSpeech)
        {
            Report(_frustration.OnPromptFinished(Now));
        }
    }

    /// <summary>No audio follows: queues the last candidate span (unless <paramref name="flush"/> is false). Call with the call's lock held.</summary>
    public void OnAudioEnded(bool flush = true)
    {
        if (_spans is not null && flush)
        {
            _closedSpans.Clear();
            _spans.Complete(_closedSpans);
            foreach (var span in _closedSpans)
            {
                Enqueue(span.StartSample, span.EndSample, isSpeech: false, _ledger.Open);
            }
        }

        _inFlight.End();
    }

    /// <summary>
    /// Waits (up to the drain timeout) for the call's queued analyses, then stops publishing: results that come later
    /// are dropped, because nothing may follow <c>CallEnded</c>. Returns the figures for <c>CallEnded</c>.
    /// </summary>
    public async Task<CallAnalysisSummary> CompleteAsync()
    {
        try
        {
            await _inFlight.Drained.WaitAsync(options.DrainTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The queue is backed up; the call's end is not held hostage to it.
        }

        lock (gate)
        {
            _inFlight.Close();
            return Summary();
        }
    }

    /// <summary>The figures for <c>CallEnded</c>; call with the call's lock held.</summary>
    public CallAnalysisSummary Summary() =>
        new(_frustration.Peak, _vocal.Counts(), _speechSeconds, _bargeIns, _inFlight.Skipped,
            _turns.Percentile(50).Wall, _turns.Percentile(95).Wall);

    /// <summary>The worker's result for <paramref name="job"/> (<see langword="null"/> when the analyzer failed).</summary>
    internal void OnAnalysed(AnalysisJob job, SegmentAnalysis? analysis)
    {
        lock (gate)
        {
            _ledger.OnAnalysed(job.Turn, job.IsSpeech, analysis);
            if (!_inFlight.Closed && analysis is not null)
            {
                Publish(job, analysis);
            }

            _inFlight.Returned();
        }

        analysed?.Invoke();
    }

    private void Publish(AnalysisJob job, SegmentAnalysis analysis)
    {
        if (job.IsSpeech)
        {
            _emotion = analysis.Emotion.Label;
            Emotions.Publish(job, analysis);
        }

        foreach (var vocal in analysis.VocalEvents)
        {
            _vocal.Add(vocal);
            publish(events.VocalEvent(vocal, job.IsSpeech, job.Turn));
        }

        Report(_frustration.OnSegment(analysis));
    }

    private void Report(FrustrationChange? change)
    {
        if (change is not null && !_inFlight.Closed)
        {
            publish(events.Frustration(change));
        }
    }

    private void Enqueue(long start, long end, bool isSpeech, int turn)
    {
        if (queue is null || !options.Enabled || _inFlight.Ending)
        {
            return;
        }

        var length = (int)Math.Min(end - start, (long)options.MaxSpanSeconds * SampleRate);
        if (length <= 0)
        {
            return;
        }

        var buffer = ArrayPool<float>.Shared.Rent(length);
        var (first, count) = _history.CopyTo(start, end, buffer.AsSpan(0, length));
        var job = new AnalysisJob(this, buffer, count, TimeSpan.FromSeconds((double)first / SampleRate), isSpeech, _speaker, turn);

        _inFlight.Leaving();
        _ledger.OnQueued(turn);
        if (!queue.TryEnqueue(job))
        {
            _inFlight.Refused();
            _ledger.OnAnalysed(turn, isSpeech, null);
        }
        else
        {
            _inFlight.Accepted();
        }
    }
}
