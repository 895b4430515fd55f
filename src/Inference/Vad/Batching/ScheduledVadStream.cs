using System.Diagnostics.CodeAnalysis;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// One call's audio registered with a <see cref="VadBatchScheduler"/>. The owner (the call's receive path) calls
/// <see cref="Write"/> and <see cref="TakeResults"/>; an inference thread owns the <see cref="VadStream"/> and
/// scores its windows in batches with other calls.
/// </summary>
/// <remarks>
/// The two sides meet only in a staging buffer and a result queue under one short lock, which the inference thread
/// holds just to copy, never across a model run: the receive path never waits for inference. The staging buffer
/// holds at most <see cref="VadOptions.MaxLagMs"/> plus two windows; when an inference thread falls further behind,
/// the oldest staged samples are discarded and later reported as dropped (non-speech) windows, so memory is bounded
/// whatever the scheduler does.
/// </remarks>
[SuppressMessage("Naming", "CA1711", Justification = "An audio stream of one call, not a System.IO.Stream.")]
public sealed class ScheduledVadStream : IDisposable
{
    private static readonly float[] Zeros = new float[SileroVadModel.WindowSamples];

    private readonly Lock _gate = new();
    private VadBatchWorker _owner;
    private readonly int _stagingLength;
    private readonly int _windowSamples;
    private float[]? _staging;
    private readonly Queue<VadWindowResult> _results;
    private int _staged;
    private long _lostSamples;
    private long _writtenSamples;
    private long _resultCount;
    private long _windowsDropped;
    private long _windowsGated;
    private int _removeRequest;

    internal ScheduledVadStream(VadBatchWorker worker, int maxLagMs, SilenceGate? gate, SileroRate rate)
    {
        _owner = worker;
        Rate = rate;
        _windowSamples = rate.WindowSamples;
        MaxLagSamples = maxLagMs * rate.SamplesPerMs;
        _stagingLength = MaxLagSamples + (2 * rate.InputSamples);
        _results = new Queue<VadWindowResult>(8);
        Vad = new VadStream(gate, rate);
    }

    /// <summary>The rate of the samples written; windows of each rate run in their own batches.</summary>
    public SileroRate Rate { get; }

    /// <summary>Windows given up as non-speech because this stream fell behind (reported with probability 0).</summary>
    public long WindowsDropped => Interlocked.Read(ref _windowsDropped);

    /// <summary>Windows scored 0 by the silence gate without the model.</summary>
    public long WindowsGated => Interlocked.Read(ref _windowsGated);

    /// <summary>
    /// The inference thread that scores this stream; it changes when a thread that fell behind hands the stream to an
    /// idle one (<see cref="VadBatchWorker"/>, "work sharing").
    /// </summary>
    internal VadBatchWorker Owner
    {
        get => Volatile.Read(ref _owner);
        set => Volatile.Write(ref _owner, value);
    }

    /// <summary>Owned by the inference thread.</summary>
    internal VadStream Vad { get; }

    /// <summary>The backlog bound in samples at <see cref="Rate"/>.</summary>
    internal int MaxLagSamples { get; }

    /// <summary><see cref="RemoveRequest"/>: the stream stays registered.</summary>
    internal const int Stay = 0;

    /// <summary><see cref="RemoveRequest"/>: score the windows written so far, then leave.</summary>
    internal const int Finish = 1;

    /// <summary><see cref="RemoveRequest"/>: leave at once, unscored windows are discarded.</summary>
    internal const int Leave = 2;

    /// <summary>What the call asked of the thread that holds this stream (<see cref="Stay"/> until it ends).</summary>
    internal int RemoveRequest => Volatile.Read(ref _removeRequest);

    /// <remarks>No spinning: a call's end waits here on a pool thread, and spinning there is CPU other calls need.</remarks>
    internal ManualResetEventSlim Removed { get; } = new(false, spinCount: 0);

    /// <summary>Queues samples at <see cref="Rate"/> for scoring. Never waits for inference.</summary>
    public void Write(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        bool windowCompleted;
        lock (_gate)
        {
            // A window becomes pending only when the written total crosses a multiple of the window size (the
            // context is carried over, not written): the inference thread is woken then, not on every packet. With
            // 20 ms packets that is 31 wake-ups a second per call instead of 50 (issue 15).
            windowCompleted = (_writtenSamples / _windowSamples) != ((_writtenSamples + samples.Length) / _windowSamples);
            _writtenSamples += samples.Length;

            // Allocated on the first audio (36 KB at the default MaxLagMs), not at set-up: see AdaptiveJitterBuffer.
            _staging ??= new float[_stagingLength];
            var capacity = _staging.Length;
            if (samples.Length >= capacity)
            {
                _lostSamples += _staged + samples.Length - capacity;
                samples[^capacity..].CopyTo(_staging);
                _staged = capacity;
            }
            else
            {
                var overflow = _staged + samples.Length - capacity;
                if (overflow > 0)
                {
                    // The inference thread is more than MaxLagMs behind: the oldest audio is overdue anyway.
                    _staging.AsSpan(overflow, _staged - overflow).CopyTo(_staging);
                    _staged -= overflow;
                    _lostSamples += overflow;
                }

                samples.CopyTo(_staging.AsSpan(_staged));
                _staged += samples.Length;
            }
        }

        if (windowCompleted)
        {
            Owner.Signal();
        }
    }

    /// <summary>Moves the results scored since the last call, in window order, into <paramref name="results"/>.</summary>
    public void TakeResults(List<VadWindowResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        lock (_gate)
        {
            while (_results.TryDequeue(out var result))
            {
                results.Add(result);
            }
        }
    }

    /// <summary>
    /// Ends the stream: waits until every whole window written so far has a result (scored or dropped), then leaves
    /// the scheduler (when nothing is left to score it returns at once, and the inference thread lets go of the
    /// stream on its next pass). Take the last results with <see cref="TakeResults"/> afterwards.
    /// </summary>
    public void Complete()
    {
        if (Interlocked.CompareExchange(ref _removeRequest, Finish, Stay) != Stay)
        {
            return;
        }

        if (AllWindowsHaveResults())
        {
            // Nothing left to score (a quiet call, or inference kept up): the thread lets go on its next pass, and
            // the call's end does not block a pool thread waiting for that (at thousands of call ends a second
            // those waits starved the pool that answers INVITEs).
            Owner.Signal();
            return;
        }

        VadBatchWorker.Unregister(this);
    }

    /// <summary>Leaves the scheduler without scoring what is still pending.</summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _removeRequest, Leave, Stay) == Stay)
        {
            VadBatchWorker.Unregister(this);
        }
    }

    /// <summary>Inference thread: moves staged samples into <see cref="Vad"/>, dropping what is overdue.</summary>
    /// <returns>Whether a window is pending afterwards.</returns>
    internal bool Drain(Span<float> scratch)
    {
        int staged;
        long lost;
        lock (_gate)
        {
            staged = _staged;
            lost = _lostSamples;
            _staging.AsSpan(0, staged).CopyTo(scratch); // null (nothing written yet) copies nothing
            _staged = 0;
            _lostSamples = 0;
        }

        // Lost samples are older than everything staged: feed them as silence and skip every window they complete,
        // one window at a time so the VadStream never holds more than one of them.
        while (lost > 0)
        {
            var chunk = (int)Math.Min(lost, _windowSamples);
            Vad.Write(Zeros.AsSpan(0, chunk));
            lost -= chunk;
            SkipOverdue(lost + staged);
        }

        Vad.Write(scratch[..staged]);
        SkipOverdue(0);

        // Plainly silent windows need no model run: scoring them here also shortens the backlog at once.
        var gated = 0;
        while (Vad.TryGatePendingWindow(out var result))
        {
            Enqueue(result);
            gated++;
        }

        if (gated > 0)
        {
            Interlocked.Add(ref _windowsGated, gated);
        }

        return Vad.HasPendingWindow;
    }

    /// <summary>Inference thread: stores the scored pending window's result.</summary>
    internal void CompleteWindow(float probability, ReadOnlySpan<float> nextState)
    {
        // A non-finite output would poison the state for the rest of the call; score the window as silence instead.
        var result = float.IsFinite(probability)
            ? Vad.CompletePendingWindow(probability, nextState)
            : Vad.CompletePendingWindow(0f, Vad.State.ToArray());
        Enqueue(result);
    }

    /// <summary>Inference thread: gives up every pending window (a closing stream whose run failed must still finish).</summary>
    internal void DropPending() => SkipOverdue(int.MaxValue);

    private void SkipOverdue(long stillToCome)
    {
        var dropped = 0;
        while (Vad.HasPendingWindow && Vad.PendingSamples + stillToCome > MaxLagSamples)
        {
            Enqueue(Vad.SkipPendingWindow());
            dropped++;
        }

        if (dropped > 0)
        {
            Interlocked.Add(ref _windowsDropped, dropped);
            Owner.OnWindowsDropped(dropped);
        }
    }

    private void Enqueue(VadWindowResult result)
    {
        lock (_gate)
        {
            _results.Enqueue(result);
            _resultCount++;
        }
    }

    /// <summary>Whether every whole window written so far has a result (scored, gated or dropped).</summary>
    private bool AllWindowsHaveResults()
    {
        lock (_gate)
        {
            return _resultCount >= _writtenSamples / _windowSamples;
        }
    }
}
