using System.ClientModel;
using OpenAI;
using OpenAI.Audio;

namespace StepAudio.Telephony.Inference.Audio;

/// <summary>
/// The OpenAI SDK's audio client for an OpenAI-compatible endpoint, set up the way every audio endpoint of the gateway
/// needs it: no SDK retries (a turn has its own time budget and the caller is waiting) and one network time-out.
/// </summary>
public static class OpenAiAudioClientFactory
{
    /// <summary>Creates the client; <paramref name="setting"/> names the missing setting in the error when there is no URL.</summary>
    public static AudioClient Create(string setting, Uri? baseUrl, string model, string? apiKey, TimeSpan timeout)
    {
        if (baseUrl is null)
        {
            throw new ArgumentException($"{setting} is not set", nameof(baseUrl));
        }

        // Local servers (speaches, vLLM) take any key; the SDK insists on one.
        return new AudioClient(
            model,
            new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "none" : apiKey),
            new OpenAIClientOptions
            {
                Endpoint = baseUrl,
                RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = timeout,
            });
    }
}
