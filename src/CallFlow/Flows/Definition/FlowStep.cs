namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>One named step of a flow: a verb with its settings, and the step that follows it.</summary>
public abstract record FlowStep
{
    /// <summary>The step's name (its key under <c>steps:</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Where the step was written, for errors found while the call runs.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The step after this one; null ends the flow (outcome <c>completed</c>).</summary>
    public string? Next { get; init; }

    /// <summary>The verb as written in YAML (<c>say</c>, <c>gather</c>, …).</summary>
    public abstract string Verb { get; }
}
