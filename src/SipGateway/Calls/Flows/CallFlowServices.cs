using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.SipGateway.Media.Recording;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>What every call's flow (<see cref="SipCallTransport"/>) shares: speech, prompts, signalling, recording and bridging.</summary>
/// <param name="Speech">Text to speech for <c>say</c>.</param>
/// <param name="Prompts">WAV prompts for <c>play</c>.</param>
/// <param name="Control">Hang-up, REFER and outbound calls.</param>
/// <param name="Recording">Whether and where <c>record</c> writes.</param>
/// <param name="Dialer">Places a bridge's agent leg.</param>
/// <param name="Bridged">Told of every connected bridge, so either leg's end can end the other.</param>
internal sealed record CallFlowServices(
    ISpeechSynthesizer Speech,
    IPromptStore Prompts,
    IFlowCallControl Control,
    RecordingOptions Recording,
    CallBridgeDialer Dialer,
    Action<CallBridge, CallSession> Bridged);
