namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>Flows that do not validate; the message lists every error, one per line, as <c>validate</c> prints them.</summary>
public sealed class FlowValidationException : Exception
{
    /// <summary>Creates the exception for <paramref name="errors"/>.</summary>
    public FlowValidationException(IReadOnlyList<FlowError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception.</summary>
    public FlowValidationException()
        : this([])
    {
    }

    /// <summary>Creates the exception.</summary>
    public FlowValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception.</summary>
    public FlowValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every error.</summary>
    public IReadOnlyList<FlowError> Errors { get; }

    private static string Describe(IReadOnlyList<FlowError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return $"{errors.Count} error(s) in call flows:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";
    }
}
