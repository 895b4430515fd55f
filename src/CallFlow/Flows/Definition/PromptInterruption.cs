namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>What may stop a prompt before its end (a step's <c>interruptible</c>).</summary>
[Flags]
public enum PromptInterruption
{
    /// <summary>Nothing: the prompt always plays to the end.</summary>
    None = 0,

    /// <summary>A key press stops it (the key stays queued for the next <c>gather</c> as type-ahead).</summary>
    Keys = 1,

    /// <summary>The caller starting to speak stops it (barge-in).</summary>
    Speech = 2,

    /// <summary>Keys and speech.</summary>
    Any = Keys | Speech,
}
