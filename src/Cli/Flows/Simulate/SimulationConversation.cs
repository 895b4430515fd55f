using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// The model conversation for <c>simulate</c>, configured like the gateway's but from environment variables only
/// (<c>Conversation__Endpoints__0__BaseUrl</c>, <c>…__Model</c>, <c>Recognition__BaseUrl</c>, …), so a flow with
/// <c>converse</c> runs against the same endpoints it will use live. Null when no endpoint is configured.
/// </summary>
internal static class SimulationConversation
{
    /// <summary>The conversation configured in the environment.</summary>
    public static ConversationServices? FromEnvironment(ISpeechSynthesizer speech)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var options = new ConversationOptions();
        configuration.GetSection(ConversationOptions.SectionName).Bind(options);
        if (!options.IsConfigured)
        {
            return null;
        }

        return new ConversationServices(
            ConversationModelClient.Create(options, TimeProvider.System, NullLogger.Instance),
            speech,
            options,
            NullLogger.Instance);
    }

    /// <summary>The recogniser configured in the environment (<c>Recognition__BaseUrl</c>, …), or null.</summary>
    public static ISpeechRecognizer? Recognizer(IConfiguration? configuration = null)
    {
        configuration ??= new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var recognition = new RecognitionOptions();
        configuration.GetSection(RecognitionOptions.SectionName).Bind(recognition);
        return recognition.IsConfigured ? new OpenAiSpeechRecognizer(recognition) : null;
    }
}
