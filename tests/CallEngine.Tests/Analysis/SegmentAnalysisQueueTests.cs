using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Events;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine.Tests.Analysis;

/// <summary>
/// <see cref="SegmentAnalysisQueue"/> on its own threads at <see cref="CallAnalysisOptions.WorkerNice"/> (issue 15: off
/// the thread pool, behind the RTP and VAD threads). The nice value is scripted; waits are on conditions, never on time.
/// </summary>
public sealed class SegmentAnalysisQueueTests
{
    private static readonly EmotionEstimate Calm =
        new(EmotionLabel.Neutral, 0.9, 0, 0, [new EmotionScore(EmotionLabel.Neutral, 0.9)], "test");

    private readonly object _gate = new();
    private readonly List<ICallEvent> _published = [];

    [Fact]
    public async Task Segments_are_analysed_on_the_analysis_threads_which_set_the_configured_nice_value()
    {
        var niceCalls = new ConcurrentQueue<(string? Thread, int Nice)>();
        var analyzer = new ThreadRecordingAnalyzer();
        var options = Settings(workers: 2, nice: 12);
        var queue = new SegmentAnalysisQueue(analyzer, Options.Create(options), NullLogger<SegmentAnalysisQueue>.Instance, nice =>
        {
            niceCalls.Enqueue((Thread.CurrentThread.Name, nice));
            return 0;
        });
        var analysis = Create(queue, options);

        for (var i = 0; i < 3; i++)
        {
            var start = i * 16_000L;
            Locked(() => analysis.OnSegment(new SpeechSegment(start, start + 8_000), null));
        }

        Locked(() => analysis.OnAudioEnded());
        var summary = await analysis.CompleteAsync();
        await queue.DisposeAsync();

        Assert.Equal(0, summary.Skipped);
        Assert.Equal((3, 0, 0), analysis.AnalysisCounts);
        Assert.Equal(3, _published.OfType<EmotionDetected>().Count());
        Assert.Equal(3, analyzer.Threads.Count);
        Assert.All(analyzer.Threads, name => Assert.Matches("^analysis-[01]$", name));
        Assert.Equal(["analysis-0", "analysis-1"], niceCalls.Select(c => c.Thread).Order());
        Assert.All(niceCalls, c => Assert.Equal(12, c.Nice));
        Assert.False(queue.WorkerNiceRefused);
    }

    [Fact]
    public async Task A_refused_nice_value_leaves_the_analysis_running()
    {
        var analyzer = new ThreadRecordingAnalyzer();
        var options = Settings(workers: 1, nice: -5);
        const int EPerm = 1;
        var queue = new SegmentAnalysisQueue(analyzer, Options.Create(options), NullLogger<SegmentAnalysisQueue>.Instance, _ => EPerm);
        var analysis = Create(queue, options);

        Locked(() => analysis.OnSegment(new SpeechSegment(0, 8_000), null));
        Locked(() => analysis.OnAudioEnded());
        await analysis.CompleteAsync();
        await queue.DisposeAsync();

        Assert.True(queue.WorkerNiceRefused);
        Assert.Single(_published.OfType<EmotionDetected>());
    }

    [Fact]
    public async Task Dispose_analyses_every_span_the_queue_accepted()
    {
        var analyzer = new ScriptedAnalyzer(Calm);
        var options = Settings(workers: 1, nice: 0);
        var queue = new SegmentAnalysisQueue(analyzer, Options.Create(options), NullLogger<SegmentAnalysisQueue>.Instance, _ => 0);
        var analysis = Create(queue, options);
        analyzer.Hold();

        Locked(() => analysis.OnSegment(new SpeechSegment(0, 8_000), null));
        Assert.True(analyzer.WaitEntered());
        Locked(() => analysis.OnSegment(new SpeechSegment(16_000, 24_000), null));
        Locked(() => analysis.OnSegment(new SpeechSegment(32_000, 40_000), null));
        var disposed = queue.DisposeAsync().AsTask();
        Assert.False(disposed.IsCompleted); // the held span is still being analysed
        analyzer.Release();
        await disposed.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(3, analyzer.Calls);
    }

    [Fact]
    public async Task Spans_of_a_call_that_stopped_waiting_are_not_analysed_but_counted_unfinished()
    {
        var analyzer = new ScriptedAnalyzer(Calm);
        var options = Settings(workers: 1, nice: 0);
        options.DrainTimeout = TimeSpan.Zero; // the call's end does not wait: every span still queued is unfinished
        var queue = new SegmentAnalysisQueue(analyzer, Options.Create(options), NullLogger<SegmentAnalysisQueue>.Instance, _ => 0);
        var analysis = Create(queue, options);
        analyzer.Hold();

        Locked(() => analysis.OnSegment(new SpeechSegment(0, 8_000), null));
        Assert.True(analyzer.WaitEntered()); // the one worker is busy with the first span; the next two wait in the queue
        Locked(() => analysis.OnSegment(new SpeechSegment(16_000, 24_000), null));
        Locked(() => analysis.OnSegment(new SpeechSegment(32_000, 40_000), null));
        Locked(() => analysis.OnAudioEnded());
        var summary = await analysis.CompleteAsync();
        analyzer.Release();
        await queue.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, summary.Skipped);
        Assert.Equal((3, 0, 3), analysis.AnalysisCounts);
        Assert.Equal(1, analyzer.Calls); // the span already running finishes; the two queued ones are not started
        Assert.Empty(_published.OfType<EmotionDetected>()); // nothing follows the call's end
    }

    [Theory]
    [InlineData(-21)]
    [InlineData(20)]
    public void A_worker_nice_value_outside_minus_20_to_19_is_refused(int nice)
    {
        var error = Assert.Throws<ArgumentException>(new CallAnalysisOptions { WorkerNice = nice }.Validate);
        Assert.StartsWith("Analysis:WorkerNice", error.Message, StringComparison.Ordinal);
    }

    private static CallAnalysisOptions Settings(int workers, int nice) => new()
    {
        Workers = workers,
        WorkerNice = nice,
        QueueCapacity = 16,
        DrainTimeout = TimeSpan.FromMinutes(2), // a call's end waits for the results; returns as soon as they are in
        NonSpeech = { Enabled = false },
    };

    private CallAnalysis Create(SegmentAnalysisQueue queue, CallAnalysisOptions options)
    {
        var analysis = new CallAnalysis(
            queue, options, new FrustrationOptions(), new CallEventFactory("call-1", TimeProvider.System), e => _published.Add(e), _gate, TimeProvider.System);
        Locked(() => analysis.OnAudio(new float[4 * 16_000], inSpeech: false, lastVoicedSampleEnd: -1));
        return analysis;
    }

    private void Locked(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }

    /// <summary>Notes the name of each thread that runs it.</summary>
    private sealed class ThreadRecordingAnalyzer : ISegmentAnalyzer
    {
        private readonly ConcurrentQueue<string?> _threads = new();

        public ConcurrentQueue<string?> Threads => _threads;

        public SegmentAnalysis Analyze(ReadOnlySpan<float> pcm16k, TimeSpan start, bool isSpeech, SpeakerBaseline? speaker = null)
        {
            _threads.Enqueue(Thread.CurrentThread.Name);
            var duration = TimeSpan.FromSeconds(pcm16k.Length / 16_000.0);
            var features = new AcousticFeatures(duration.TotalSeconds, 0.5, 150, 1, 3, 0, -30, 5, -24, 0, 10, 0.2, -6, 4, 0, 0, 3, 0);
            return new SegmentAnalysis(start, duration, isSpeech, features, Calm, []);
        }
    }
}
