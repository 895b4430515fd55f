using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>What every call's conversation shares: the model client, the recogniser, speech synthesis and settings.</summary>
/// <param name="Client">The model client over the configured endpoints.</param>
/// <param name="Recognizer">The speech recogniser, or null.</param>
/// <param name="Speech">Speech synthesis for replies and the filler.</param>
/// <param name="Options">The conversation settings.</param>
/// <param name="Logger">Where conversations log (no words unless <see cref="ConversationOptions.LogTranscripts"/>).</param>
public sealed record ConversationServices(
    ConversationModelClient Client,
    ISpeechRecognizer? Recognizer,
    ISpeechSynthesizer Speech,
    ConversationOptions Options,
    ILogger Logger);
