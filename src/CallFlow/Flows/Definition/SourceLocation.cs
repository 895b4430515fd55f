namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>Where something was written: the file, and the 1-based line and column of its first character.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
