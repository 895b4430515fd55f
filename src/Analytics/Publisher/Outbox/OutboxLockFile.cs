namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// Claims an outbox folder for one process: creates it if needed and holds <c>outbox.lock</c> open with no
/// sharing until the returned stream is disposed (the kernel drops the lock when the process dies).
/// </summary>
internal static class OutboxLockFile
{
    public const string FileName = "outbox.lock";

    /// <summary>
    /// Returns the held lock file; throws <see cref="InvalidOperationException"/> when the folder is not writable
    /// or another process holds it.
    /// </summary>
    public static FileStream Acquire(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            // An exclusive lock file: two processes appending to one outbox would interleave and corrupt it.
            return new FileStream(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidOperationException($"Outbox directory '{directory}' is not writable: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Outbox directory '{directory}' cannot be used (not writable, or held by another process): {ex.Message}", ex);
        }
    }
}
