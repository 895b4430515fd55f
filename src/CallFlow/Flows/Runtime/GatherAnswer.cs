namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>What a gather collected: keys (without the finish key) or a spoken answer.</summary>
internal sealed record GatherAnswer(string Input, string Digits, TimeSpan SpeechDuration)
{
    public static GatherAnswer Keys(string digits) => new(FlowScopeNames.InputDtmf, digits, TimeSpan.Zero);

    public static GatherAnswer Spoken(TimeSpan duration) => new(FlowScopeNames.InputSpeech, string.Empty, duration);
}
