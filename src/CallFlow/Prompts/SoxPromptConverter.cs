using System.Runtime.InteropServices;
using StepAudio.Telephony.CallFlow.Processes;

namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>Converts an audio file in any format sox reads to the 8 kHz mono 16-bit PCM that prompts are played as.</summary>
internal static class SoxPromptConverter
{
    /// <exception cref="PromptUnavailableException">sox is missing, took too long, or the file is not audio.</exception>
    public static async Task<short[]> ConvertAsync(string path, string what, PromptOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);

        // sox mixes stereo down and resamples with its high-quality band-limited filter; -L fixes the byte order.
        string[] arguments = [path, "-t", "raw", "-r", "8000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L", "-"];
        ExternalProcessResult result;
        try
        {
            result = await ExternalProcess.RunAsync(options.SoxPath, arguments, null, timeout.Token);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new PromptUnavailableException($"{what}: '{options.SoxPath}' could not be started ({ex.Message}); scripts/setup.sh installs it.", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PromptUnavailableException($"{what} was not converted within {options.Timeout}.");
        }

        if (result.ExitCode != 0)
        {
            throw new PromptUnavailableException($"{what} could not be read as audio: {result.Errors}");
        }

        if (result.Output.Length < 2)
        {
            throw new PromptUnavailableException($"{what} holds no audio.");
        }

        return MemoryMarshal.Cast<byte, short>(result.Output.AsSpan(0, result.Output.Length & ~1)).ToArray();
    }
}
