namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>Receives the caller's decoded audio on the receive loop, under the call's lock: must not block.</summary>
internal interface ICallerAudioTap
{
    void OnCallerAudio(ReadOnlySpan<short> pcm, int sampleRate);
}
