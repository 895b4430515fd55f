namespace StepAudio.Telephony.Testing;

/// <summary>What a finished command-line tool printed and how it exited.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    /// <summary>Everything worth showing in a failed assertion.</summary>
    public string Describe() =>
        $"exit code {ExitCode}{(TimedOut ? " (timed out)" : "")}\n--- stdout ---\n{Tail(StandardOutput)}\n--- stderr ---\n{Tail(StandardError)}";

    // sipp's screens and logs can run to megabytes; the end is where the failure is.
    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}
