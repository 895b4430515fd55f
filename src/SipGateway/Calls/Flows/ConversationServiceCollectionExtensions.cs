using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Recognition;
using StepAudio.Telephony.Inference.Synthesis;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// Registers the model conversation (section <c>Conversation</c>), the recogniser (<c>Recognition</c>) and the speech
/// endpoint (<c>SpeechEndpoint</c>). Each is optional: the gateway starts without any, and then flows that use
/// <c>converse</c> are refused at start with the setting to add.
/// </summary>
internal static class ConversationServiceCollectionExtensions
{
    /// <summary>Registers what is configured; returns whether a conversation endpoint is (flows with converse need one).</summary>
    public static bool AddConversation(this IServiceCollection services, IConfiguration configuration)
    {
        var conversation = new ConversationOptions();
        configuration.GetSection(ConversationOptions.SectionName).Bind(conversation);
        var recognition = new RecognitionOptions();
        configuration.GetSection(RecognitionOptions.SectionName).Bind(recognition);
        var speechEndpoint = new SpeechEndpointOptions();
        configuration.GetSection(SpeechEndpointOptions.SectionName).Bind(speechEndpoint);

        if (speechEndpoint.IsConfigured)
        {
            // Replaces espeak-ng for every prompt and reply; registered after it, so this one is resolved.
            services.AddSingleton<ISpeechSynthesizer>(_ => new EndpointSpeechSynthesizer(new OpenAiSpeechSynthesizer(speechEndpoint)));
        }

        if (recognition.IsConfigured)
        {
            services.AddSingleton<ISpeechRecognizer>(_ => new OpenAiSpeechRecognizer(recognition));
        }

        if (conversation.IsConfigured)
        {
            services.AddSingleton(sp =>
            {
                var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("StepAudio.Telephony.Conversation");
                return new ConversationServices(
                    ConversationModelClient.Create(conversation, sp.GetRequiredService<TimeProvider>(), logger),
                    sp.GetRequiredService<ISpeechSynthesizer>(),
                    conversation,
                    logger);
            });
        }

        return conversation.IsConfigured;
    }
}
