using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallFlow.Flows.Validation;

/// <summary>Builds the <see cref="FlowEnvironment"/> of this machine, as the gateway and <c>validate</c> both need it.</summary>
public static class FlowEnvironments
{
    /// <summary>
    /// The environment with <paramref name="promptsDirectory"/> (made absolute; null or empty: none configured) and
    /// the voices of <paramref name="espeakPath"/>. Without a runnable espeak-ng, voices are not checked: <c>say</c>
    /// will then fail on every voice, which the speech engine's own start-up check reports.
    /// </summary>
    public static FlowEnvironment Create(string? promptsDirectory, string espeakPath)
    {
        IVoiceCatalog? voices;
        try
        {
            voices = EspeakVoiceCatalog.LoadAsync(espeakPath, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (SpeechSynthesisException)
        {
            voices = null;
        }

        return new FlowEnvironment(string.IsNullOrWhiteSpace(promptsDirectory) ? null : Path.GetFullPath(promptsDirectory), voices);
    }
}
