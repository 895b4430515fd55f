namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>One mistake in a flow or routes file: where (1-based line and column), which field, and what was expected.</summary>
/// <param name="File">The file as it was named to the loader.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Field">Dotted path of the field (<c>steps.menu.gather.timeout</c>); empty for the whole file.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record FlowError(string File, int Line, int Column, string Field, string Message)
{
    /// <summary><c>file:line:column: field: message</c>; the field part is left out for file-level errors (YAML syntax, empty file).</summary>
    public override string ToString() => Field.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {Field}: {Message}";
}
