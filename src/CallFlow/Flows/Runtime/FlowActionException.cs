namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// A step's action failed in a way the flow can handle (<c>on_failure</c>, <c>on_error</c>): a prompt that cannot be
/// rendered, recording not allowed, a webhook that failed after its retries.
/// </summary>
public sealed class FlowActionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowActionException()
    {
    }

    /// <summary>Creates the exception with a message for logs and the trace.</summary>
    public FlowActionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FlowActionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
