namespace StepAudio.Telephony.Testing;

/// <summary>What a finished command-line tool printed and how it exited.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    /// <summary>Everything worth showing in a failed assertion.</summary>
    public string Describe() =>
        $"exit code {ExitCode}{(TimedOut ? " (timed out)" : "")}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
