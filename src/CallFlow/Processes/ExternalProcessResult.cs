namespace StepAudio.Telephony.CallFlow.Processes;

/// <summary>What a finished tool left behind.</summary>
/// <param name="ExitCode">Its exit status; 0 is success.</param>
/// <param name="Output">Everything it wrote to standard output.</param>
/// <param name="Errors">Its standard error, trimmed.</param>
internal sealed record ExternalProcessResult(int ExitCode, byte[] Output, string Errors);
