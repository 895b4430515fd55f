using System.Diagnostics.CodeAnalysis;

namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// One audio stream (one call leg) through the shared <see cref="SileroVadModel"/>: cuts samples of any chunk size at
/// its <see cref="SileroRate"/> into 32 ms windows (512 samples at 16 kHz, 256 at 8 kHz), prefixes each with the last
/// 64 (or 32) samples of the previous one, and carries the model's recurrent state. Window offsets are reported in
/// 16 kHz samples at either rate, so segments and timestamps do not depend on the rate. One owner, not thread-safe.
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
    // Offsets are in 16 kHz samples whatever the rate (a window is 32 ms at both).
    private const int OffsetSamplesPerWindow = SileroVadModel.WindowSamples;

    private readonly int _windowSamples;
    private readonly int _contextSamples;
    private readonly int _inputSamples;
    private readonly SileroVadModel? _model;
    private readonly SilenceGate? _gate;
    private readonly float[] _state = new float[SileroVadModel.StateSamplesPerStream];
    private readonly float[] _probability = new float[1];

    // [0, context): context (zeros before the first window); [context, _count): samples not yet run. The pending
    // window is always _buffer[0, input), so dropping the first window's samples leaves the next window's context.
    private float[] _buffer;
    private int _count;
    private long _windowsCompleted;
    private int _quietWindows;

    /// <summary>Creates a stream on the shared model, with zero context and zero state.</summary>
    /// <param name="model">The process-wide model.</param>
    /// <param name="gate">Skips the model on plainly silent windows; <see langword="null"/> runs every window.</param>
    /// <param name="rate">The rate of the samples written (<see cref="SileroRate.Wideband"/> when omitted).</param>
    public VadStream(SileroVadModel model, SilenceGate? gate = null, SileroRate? rate = null)
        : this(gate, rate ?? SileroRate.Wideband)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>Creates a 16 kHz stream that a batching scheduler scores (<see cref="Process"/> is not available).</summary>
    internal VadStream(SilenceGate? gate)
        : this(gate, SileroRate.Wideband)
    {
    }

    /// <summary>Creates a stream that a batching scheduler scores (<see cref="Process"/> is not available).</summary>
    internal VadStream(SilenceGate? gate, SileroRate rate)
    {
        _gate = gate;
        Rate = rate;
        _windowSamples = rate.WindowSamples;
        _contextSamples = rate.ContextSamples;
        _inputSamples = rate.InputSamples;
        _buffer = new float[_inputSamples];
        _count = _contextSamples;
    }

    /// <summary>The rate of the samples this stream takes.</summary>
    public SileroRate Rate { get; }

    /// <summary>Samples written so far.</summary>
    public long SamplesWritten { get; private set; }

    /// <summary>Windows scored 0 by the <see cref="SilenceGate"/> without running the model.</summary>
    public long WindowsGated { get; private set; }

    /// <summary>Windows that have a probability.</summary>
    public long WindowsCompleted => _windowsCompleted;

    /// <summary>Whether a full window waits for inference.</summary>
    public bool HasPendingWindow => _count >= _inputSamples;

    /// <summary>
    /// Offset of the pending window's new samples (also of the next window when none is pending), in 16 kHz samples
    /// whatever <see cref="Rate"/>.
    /// </summary>
    public long PendingWindowOffset => _windowsCompleted * OffsetSamplesPerWindow;

    /// <summary>The pending window's model input: the context samples, then the window's new samples.</summary>
    public ReadOnlySpan<float> PendingInput =>
        HasPendingWindow ? _buffer.AsSpan(0, _inputSamples) : throw new InvalidOperationException("No window is pending.");

    /// <summary>Samples written but not yet scored (the pending window's new samples included), at <see cref="Rate"/>.</summary>
    public int PendingSamples => _count - _contextSamples;

    /// <summary>The recurrent state ([2, 1, 128], 256 floats) to run the pending window with.</summary>
    public ReadOnlySpan<float> State => _state;

    /// <summary>Buffers samples without running the model (for a batching scheduler).</summary>
    public void Write(ReadOnlySpan<float> samples)
    {
        var needed = _count + samples.Length;
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }

        Append(samples);
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
        if (_gate is null || !HasPendingWindow || !_gate.IsSilent(_buffer.AsSpan(_contextSamples, _windowSamples), _quietWindows))
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

    /// <summary>Adds samples at <see cref="Rate"/> and runs every window they complete, at batch 1, appending one result per window.</summary>
    public void Process(ReadOnlySpan<float> samples, List<VadWindowResult> results)
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
                model.Run(Rate, _buffer.AsSpan(0, _inputSamples), _state, _probability, 1);
                results.Add(Advance(_probability[0]));
            }

            if (samples.IsEmpty)
            {
                return;
            }

            // Feed at most one window at a time so the buffer never grows beyond one model input.
            var take = Math.Min(samples.Length, _inputSamples - _count);
            Append(samples[..take]);
            samples = samples[take..];
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
        var result = new VadWindowResult(_windowsCompleted * OffsetSamplesPerWindow, probability);
        _quietWindows = _gate?.IsQuiet(probability) == true ? _quietWindows + 1 : 0;
        _buffer.AsSpan(_windowSamples, _count - _windowSamples).CopyTo(_buffer);
        _count -= _windowSamples;
        _windowsCompleted++;
        return result;
    }
}
