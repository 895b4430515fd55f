using System.Diagnostics.CodeAnalysis;

namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// One audio stream (one call leg) through the shared <see cref="SileroVadModel"/>: cuts 16 kHz samples of any chunk
/// size into 512-sample windows, prefixes each with the last 64 samples of the previous one, and carries the model's
/// recurrent state. One owner, not thread-safe.
/// </summary>
/// <remarks>
/// Two ways to drive it. <see cref="Process"/> runs each window at batch 1 right away. A scheduler that batches many
/// streams instead calls <see cref="Write"/>, then, while <see cref="HasPendingWindow"/>, puts
/// <see cref="PendingInput"/> and <see cref="State"/> into a batch and hands each stream its result through
/// <see cref="CompletePendingWindow"/>.
/// </remarks>
[SuppressMessage("Naming", "CA1711", Justification = "An audio stream of one call, not a System.IO.Stream; the name is part of the agreed API.")]
public sealed class VadStream
{
    private const int WindowSamples = SileroVadModel.WindowSamples;
    private const int ContextSamples = SileroVadModel.ContextSamples;
    private const int InputSamples = SileroVadModel.InputSamples;

    private readonly SileroVadModel? _model;
    private readonly SilenceGate? _gate;
    private readonly float[] _state = new float[SileroVadModel.StateSamplesPerStream];
    private readonly float[] _probability = new float[1];

    // [0, 64): context (zeros before the first window); [64, _count): samples not yet run. The pending window is
    // always _buffer[0, 576), so dropping the first 512 samples leaves the next window's context in place.
    private float[] _buffer = new float[InputSamples];
    private int _count = ContextSamples;
    private long _windowsCompleted;
    private int _quietWindows;

    /// <summary>Creates a stream on the shared model, with zero context and zero state.</summary>
    /// <param name="model">The process-wide model.</param>
    /// <param name="gate">Skips the model on plainly silent windows; <see langword="null"/> runs every window.</param>
    public VadStream(SileroVadModel model, SilenceGate? gate = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _gate = gate;
    }

    /// <summary>Creates a stream that a batching scheduler scores (<see cref="Process"/> is not available).</summary>
    internal VadStream(SilenceGate? gate)
    {
        _gate = gate;
    }

    /// <summary>Samples written so far.</summary>
    public long SamplesWritten { get; private set; }

    /// <summary>Windows scored 0 by the <see cref="SilenceGate"/> without running the model.</summary>
    public long WindowsGated { get; private set; }

    /// <summary>Windows that have a probability.</summary>
    public long WindowsCompleted => _windowsCompleted;

    /// <summary>Whether a full window waits for inference.</summary>
    public bool HasPendingWindow => _count >= InputSamples;

    /// <summary>Sample offset of the pending window's new samples (also of the next window when none is pending).</summary>
    public long PendingWindowOffset => _windowsCompleted * WindowSamples;

    /// <summary>The pending window's model input: 64 context samples, then 512 new samples.</summary>
    public ReadOnlySpan<float> PendingInput =>
        HasPendingWindow ? _buffer.AsSpan(0, InputSamples) : throw new InvalidOperationException("No window is pending.");

    /// <summary>Samples written but not yet scored (the pending window's new samples included), at 16 kHz.</summary>
    public int PendingSamples => _count - ContextSamples;

    /// <summary>The recurrent state ([2, 1, 128], 256 floats) to run the pending window with.</summary>
    public ReadOnlySpan<float> State => _state;

    /// <summary>Buffers samples without running the model (for a batching scheduler).</summary>
    public void Write(ReadOnlySpan<float> samples16k)
    {
        var needed = _count + samples16k.Length;
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }

        Append(samples16k);
    }

    /// <summary>Stores the result of the pending window and moves to the next one.</summary>
    /// <param name="probability">The model's output for <see cref="PendingInput"/>.</param>
    /// <param name="nextState">The model's next state for this stream (256 floats).</param>
    public VadWindowResult CompletePendingWindow(float probability, ReadOnlySpan<float> nextState)
    {
        if (!HasPendingWindow)
        {
            throw new InvalidOperationException("No window is pending.");
        }

        if (nextState.Length != _state.Length)
        {
            throw new ArgumentException($"The next state must hold {_state.Length} floats.", nameof(nextState));
        }

        nextState.CopyTo(_state);
        return Advance(probability);
    }

    /// <summary>
    /// Gives up on the pending window without running the model (a scheduler that fell behind): its result is
    /// probability 0 at the window's offset, so a segmenter sees the gap as non-speech and later timestamps stay
    /// right. The recurrent state is kept; the next window's context is this window's audio, as if it had run.
    /// </summary>
    public VadWindowResult SkipPendingWindow()
    {
        if (!HasPendingWindow)
        {
            throw new InvalidOperationException("No window is pending.");
        }

        return Advance(0f);
    }

    /// <summary>
    /// Scores the pending window 0 without the model when the <see cref="SilenceGate"/> finds it plainly silent.
    /// </summary>
    /// <returns>Whether the window was gated; <paramref name="result"/> is its result then.</returns>
    public bool TryGatePendingWindow(out VadWindowResult result)
    {
        if (_gate is null || !HasPendingWindow || !_gate.IsSilent(_buffer.AsSpan(ContextSamples, WindowSamples), _quietWindows))
        {
            result = default;
            return false;
        }

        WindowsGated++;
        VadMetrics.WindowsGated.Add(1);

        // The recurrent state stays as the last scored window left it: after 256 ms of silence scored by the model, a
        // state of silence. Resetting it to a fresh call's zeros instead delayed onsets on recorded speech (vad-gate).
        result = Advance(0f);
        return true;
    }

    /// <summary>Adds samples and runs every window they complete, at batch 1, appending one result per window.</summary>
    public void Process(ReadOnlySpan<float> samples16k, List<VadWindowResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var model = _model ?? throw new InvalidOperationException("This stream is scored by a batching scheduler.");
        while (true)
        {
            while (HasPendingWindow)
            {
                if (TryGatePendingWindow(out var gated))
                {
                    results.Add(gated);
                    continue;
                }

                // Batch 1: [2, 1, 128] is this stream's state as is, so the model updates it in place.
                model.Run(_buffer.AsSpan(0, InputSamples), _state, _probability, 1);
                results.Add(Advance(_probability[0]));
            }

            if (samples16k.IsEmpty)
            {
                return;
            }

            // Feed at most one window at a time so the buffer never grows beyond one model input.
            var take = Math.Min(samples16k.Length, InputSamples - _count);
            Append(samples16k[..take]);
            samples16k = samples16k[take..];
        }
    }

    private void Append(ReadOnlySpan<float> samples)
    {
        var destination = _buffer.AsSpan(_count, samples.Length);
        samples.CopyTo(destination);

        // A NaN or infinity would poison the recurrent state for the rest of the call; treat it as silence.
        foreach (ref var sample in destination)
        {
            if (!float.IsFinite(sample))
            {
                sample = 0f;
            }
        }

        _count += samples.Length;
        SamplesWritten += samples.Length;
    }

    private VadWindowResult Advance(float probability)
    {
        var result = new VadWindowResult(_windowsCompleted * WindowSamples, probability);
        _quietWindows = _gate?.IsQuiet(probability) == true ? _quietWindows + 1 : 0;
        _buffer.AsSpan(WindowSamples, _count - WindowSamples).CopyTo(_buffer);
        _count -= WindowSamples;
        _windowsCompleted++;
        return result;
    }
}
