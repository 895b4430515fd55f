namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>One mistake in a flow or routes file: where (1-based line and column), which field, and what was expected.</summary>
/// <param name="File">The file as it was named to the loader.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Field">Dotted path of the field (<c>steps.menu.gather.timeout</c>); empty for the whole file.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record FlowError(string File, int Line, int Column, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}: {Field}: {Message}";
}
