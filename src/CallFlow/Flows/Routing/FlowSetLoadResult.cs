using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>A loaded flow directory, or every mistake in it (all files, and routes that name unknown flows).</summary>
public sealed class FlowSetLoadResult
{
    internal FlowSetLoadResult(FlowSet? set, IReadOnlyList<FlowError> errors)
    {
        Set = errors.Count == 0 ? set : null;
        Errors = errors;
    }

    /// <summary>The set; null when <see cref="Errors"/> is not empty.</summary>
    public FlowSet? Set { get; }

    /// <summary>Every mistake, by file then position.</summary>
    public IReadOnlyList<FlowError> Errors { get; }

    /// <summary>Whether the whole directory is valid.</summary>
    public bool IsValid => Set is not null;
}
