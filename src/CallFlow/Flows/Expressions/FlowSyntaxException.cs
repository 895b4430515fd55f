namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>An expression or template that does not parse; <see cref="Offset"/> is the 0-based position in its text.</summary>
public sealed class FlowSyntaxException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowSyntaxException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>Creates the exception.</summary>
    public FlowSyntaxException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public FlowSyntaxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FlowSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>0-based position of the problem in the text that was parsed.</summary>
    public int Offset { get; }
}
