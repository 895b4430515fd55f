using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Inference.Tests.Vad.Batching;

/// <summary>
/// A runner with no model whose outputs reveal how the scheduler routed data: the probability of a slot is the first
/// new sample of its input (tests write each window filled with a code of stream and window), and the next state is
/// the state plus one, so a stream's state counts the windows run for it. It checks on every run that the state a
/// window arrives with equals the window's index, and that no stream has two windows in one batch.
/// </summary>
internal sealed class ScriptedRunner : IVadBatchRunner
{
    private readonly float[] _input;
    private readonly float[] _state;
    private readonly float[] _nextState;
    private readonly float[] _probabilities;
    private readonly Lock _gate = new();
    private readonly List<int> _batchSizes = [];

    public ScriptedRunner(int maxBatchSize)
    {
        MaxBatchSize = maxBatchSize;
        _input = new float[maxBatchSize * SileroVadModel.InputSamples];
        _state = new float[maxBatchSize * SileroVadModel.StateSamplesPerStream];
        _nextState = new float[_state.Length];
        _probabilities = new float[maxBatchSize];
    }

    /// <summary>While reset, runs wait (an artificially slow inference).</summary>
    public ManualResetEventSlim Open { get; } = new(true);

    /// <summary>Set when a run has started (and may be waiting on <see cref="Open"/>).</summary>
    public ManualResetEventSlim Entered { get; } = new(false);

    /// <summary>While set, runs throw (a failing model).</summary>
    public volatile bool Fail;

    public int MaxBatchSize { get; }

    public SileroRate Rate => SileroRate.Wideband;

    public Span<float> Input => _input;

    public Span<float> State => _state;

    public ReadOnlySpan<float> NextState => _nextState;

    public ReadOnlySpan<float> Probabilities => _probabilities;

    /// <summary>Whether a window's state must equal its index exactly (no window of the stream was dropped).</summary>
    public bool StrictState { get; set; } = true;

    public int Violations { get; private set; }

    public int[] BatchSizes
    {
        get
        {
            lock (_gate)
            {
                return [.. _batchSizes];
            }
        }
    }

    /// <summary>The value every sample of window <paramref name="window"/> of stream <paramref name="stream"/> has.</summary>
    public static float Code(int stream, long window) => ((stream * 1000) + window + 1) / 1e6f;

    /// <summary><paramref name="count"/> samples of stream <paramref name="stream"/> from sample <paramref name="from"/> on, coded by window.</summary>
    public static float[] CodedAudio(int stream, long from, int count)
    {
        var samples = new float[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = Code(stream, (from + i) / SileroVadModel.WindowSamples);
        }

        return samples;
    }

    public static (int Stream, long Window) Decode(float code)
    {
        var value = (long)Math.Round(code * 1e6) - 1;
        return ((int)(value / 1000), value % 1000);
    }

    public void Run(int batchSize)
    {
        Entered.Set();
        Open.Wait();
        if (Fail)
        {
            throw new InvalidOperationException("scripted failure");
        }

        var streams = new HashSet<int>();
        for (var b = 0; b < batchSize; b++)
        {
            var code = _input[(b * SileroVadModel.InputSamples) + SileroVadModel.ContextSamples];
            var (stream, window) = Decode(code);
            var streamState = new float[SileroVadModel.StateSamplesPerStream];
            SileroVadModel.CopyStateFromBatch(_state.AsSpan(0, batchSize * streamState.Length), b, batchSize, streamState);

            // Dropped windows do not advance the state, so it may lag the window index but never lead it.
            if (!streams.Add(stream) || (StrictState ? streamState[0] != window : streamState[0] > window) || streamState[0] != streamState[^1])
            {
                Violations++;
            }

            for (var k = 0; k < streamState.Length; k++)
            {
                streamState[k] += 1f;
            }

            SileroVadModel.CopyStateToBatch(streamState, _nextState.AsSpan(0, batchSize * streamState.Length), b, batchSize);
            _probabilities[b] = code;
        }

        lock (_gate)
        {
            _batchSizes.Add(batchSize);
        }
    }

    public void Dispose()
    {
        Open.Set();
        Open.Dispose();
        Entered.Dispose();
    }
}
