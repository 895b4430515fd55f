namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// How far real-time inference is behind, for whoever decides whether the host can take more work (the gateway's
/// admission guard). Neutral on purpose: it says nothing of calls or signalling. Both figures are cheap to read from
/// any thread.
/// </summary>
public interface IInferenceLateness
{
    /// <summary>Windows given up as non-speech because their stream fell behind <see cref="VadOptions.MaxLagMs"/>, since start.</summary>
    long WindowsSkipped { get; }

    /// <summary>The largest backlog of unscored audio any inference thread saw in its last batch, in ms (0 when idle).</summary>
    double BacklogMs { get; }

    /// <summary>
    /// Wall time the inference threads have spent running batches since start, summed over threads. Its growth over an
    /// interval, divided by the interval and <see cref="Threads"/>, is how busy they were: the leading signal, because it
    /// rises with every call added while the backlog only grows once the threads can no longer keep up.
    /// </summary>
    TimeSpan BusyTime { get; }

    /// <summary>The inference threads that share the work.</summary>
    int Threads { get; }
}
