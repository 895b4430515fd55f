using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Policy;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Recognition;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine;

/// <summary>What one <see cref="EngineCall"/> is built from.</summary>
/// <param name="CallId">The gateway's id of the call (the events' <c>callId</c>).</param>
/// <param name="Detector">The call's voice activity detector (owned by the call from here on).</param>
/// <param name="Publish">Where the call's events go, in sequence order (called under the call's lock: must not block).</param>
/// <param name="Time">The clock events are stamped with and the call time runs on.</param>
public sealed record EngineCallSetup(string CallId, ISpeechDetector Detector, Action<ICallEvent> Publish, TimeProvider Time)
{
    /// <summary>How the call's waits pass time; default: <see cref="RealTimeCallClock"/> on <see cref="Time"/>.</summary>
    public ICallClock? Clock { get; init; }

    /// <summary>Where spans are analysed; null: no emotion or vocal sounds (frustration from behaviour only).</summary>
    public ISegmentAnalysisRunner? Analysis { get; init; }

    /// <summary>The analysis settings.</summary>
    public CallAnalysisOptions? AnalysisOptions { get; init; }

    /// <summary>The frustration settings.</summary>
    public FrustrationOptions? Frustration { get; init; }

    /// <summary>The gateway's silence and call-length limits; null: none.</summary>
    public ListeningPolicy? Policy { get; init; }

    /// <summary>Gives every caller turn its words (for <c>gather</c>, the model and <c>EmotionDetected.wordsVoice</c>); null: no words.</summary>
    public ISpeechRecognizer? Recognizer { get; init; }

    /// <summary>Where the engine logs.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
