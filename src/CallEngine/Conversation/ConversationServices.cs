using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>What every call's conversation shares: the model client, speech synthesis and settings (the words come from the call: <see cref="EngineCall.WordsOf"/>).</summary>
/// <param name="Client">The model client over the configured endpoints.</param>
/// <param name="Speech">Speech synthesis for replies and the filler.</param>
/// <param name="Options">The conversation settings.</param>
/// <param name="Logger">Where conversations log (no words unless <see cref="ConversationOptions.LogTranscripts"/>).</param>
public sealed record ConversationServices(
    ConversationModelClient Client,
    ISpeechSynthesizer Speech,
    ConversationOptions Options,
    ILogger Logger);
