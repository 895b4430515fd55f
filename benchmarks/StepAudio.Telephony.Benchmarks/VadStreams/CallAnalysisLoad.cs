using System.Diagnostics;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Benchmarks.VadStreams;

/// <summary>
/// The `--analysis on` half of vad-streams: each stream gets a speech detector on the scheduler (segmentation as in a
/// call) and every closed segment is analysed (features, emotion, vocal events) on one worker thread, as the
/// gateway's analysis queue does, so the process's CPU covers VAD and analysis together. It also measures
/// end-of-turn latency: from the moment the last voiced window's audio was fed to the moment its segment closed
/// (the 300 ms hangover included).
/// </summary>
internal sealed class CallAnalysisLoad : IDisposable
{
    private readonly float[] _speech;
    private readonly int _cycle;
    private readonly int[] _firstOffsets;
    private readonly ISpeechDetector[] _detectors;
    private readonly SegmentAnalyzer _analyzer = SegmentAnalyzers.CreateDefault(new ParalinguisticsOptions());
    private readonly List<SpeechSegment> _closed = [];
    private readonly System.Collections.Concurrent.BlockingCollection<(float[] Audio, TimeSpan Start)> _queue = new(boundedCapacity: 256);
    private readonly Thread _worker;
    private long _skipped;

    public CallAnalysisLoad(Func<ISpeechDetector> createDetector, float[] speech, int cycle, int[] firstOffsets)
    {
        _speech = speech;
        _cycle = cycle;
        _firstOffsets = (int[])firstOffsets.Clone();
        _detectors = new ISpeechDetector[firstOffsets.Length];
        for (int i = 0; i < _detectors.Length; i++)
        {
            _detectors[i] = createDetector();
        }

        _worker = new Thread(Analyse) { IsBackground = true, Name = "analysis" };
        _worker.Start();
    }

    public List<double> TurnLatencyMilliseconds { get; } = [];

    public long SegmentsAnalysed { get; private set; }

    public double AnalysisSeconds { get; private set; }

    public long SegmentsSkipped => Interlocked.Read(ref _skipped);

    public long WindowsScored => _detectors.Sum(d => d.ScoredSamples) / SileroVadModel.WindowSamples;

    /// <summary>Feeds one packet of stream <paramref name="index"/>; <paramref name="feedTime"/> says when each packet was due.</summary>
    public void Feed(int index, ReadOnlySpan<float> packet, Func<int, long, TimeSpan> feedTime, TimeSpan now)
    {
        var detector = _detectors[index];
        _closed.Clear();
        detector.Process(packet, _closed);
        foreach (var segment in _closed)
        {
            if (detector.LastVoicedSampleEnd > 0)
            {
                TurnLatencyMilliseconds.Add((now - feedTime(index, detector.LastVoicedSampleEnd - 1)).TotalMilliseconds);
            }

            if (!_queue.TryAdd((SegmentAudio(index, segment), segment.Start)))
            {
                Interlocked.Increment(ref _skipped); // the gateway skips rather than block media, and counts it
            }
        }
    }

    /// <summary>Waits for the queued analyses to finish (their CPU is part of the figures).</summary>
    public void Drain()
    {
        _queue.CompleteAdding();
        _worker.Join();
    }

    public void Dispose()
    {
        _queue.Dispose();
        foreach (var detector in _detectors)
        {
            detector.Dispose();
        }
    }

    private void Analyse()
    {
        foreach (var (audio, start) in _queue.GetConsumingEnumerable())
        {
            long started = Stopwatch.GetTimestamp();
            _analyzer.Analyze(audio, start, isSpeech: true);
            AnalysisSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            SegmentsAnalysed++;
        }
    }

    // Stream sample s came from _speech[(first + (s / packet) * packet) % cycle + s % packet]: rebuild the segment.
    private float[] SegmentAudio(int index, SpeechSegment segment)
    {
        const int Packet = 320;
        int length = (int)Math.Min(segment.EndSample - segment.StartSample, 30 * 16_000);
        var audio = new float[length];
        for (int j = 0; j < length; j++)
        {
            long s = segment.StartSample + j;
            audio[j] = _speech[(int)((_firstOffsets[index] + (s / Packet * Packet)) % _cycle) + (int)(s % Packet)];
        }

        return audio;
    }
}
