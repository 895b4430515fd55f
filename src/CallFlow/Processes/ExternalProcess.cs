using System.Diagnostics;

namespace StepAudio.Telephony.CallFlow.Processes;

/// <summary>
/// Runs a local tool (espeak-ng, sox) with an argument list, never through a shell, so no text or file name can
/// inject arguments. Callers turn failures into their own exception types.
/// </summary>
internal static class ExternalProcess
{
    /// <summary>Runs <paramref name="fileName"/> to completion and collects its output.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The tool could not be started.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the process tree was killed.</exception>
    public static async Task<ExternalProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string? input,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        process.Start();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await Task.WhenAll(copy, errors, process.WaitForExitAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ExternalProcessResult(process.ExitCode, output.ToArray(), (await errors).Trim());
    }
}
