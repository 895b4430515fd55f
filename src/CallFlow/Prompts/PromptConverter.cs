namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>
/// A prompt file to 8 kHz mono 16-bit, in process (<see cref="WavToTelephonePcm"/>, NAudio) rather than a sox process
/// per prompt; failures become <see cref="PromptUnavailableException"/> naming the prompt.
/// </summary>
internal static class PromptConverter
{
    /// <param name="path">The WAV file.</param>
    /// <param name="what">How errors name the prompt, for example <c>Prompt file '/x/y.wav'</c>.</param>
    /// <param name="cancellationToken">Stops a long conversion.</param>
    public static short[] Convert(string path, string what, CancellationToken cancellationToken)
    {
        short[] samples;
        try
        {
            samples = WavToTelephonePcm.Read(path, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException and not FileNotFoundException)
        {
            throw new PromptUnavailableException($"{what} could not be read as audio: {ex.Message}", ex);
        }

        return samples.Length == 0 ? throw new PromptUnavailableException($"{what} holds no audio.") : samples;
    }
}
