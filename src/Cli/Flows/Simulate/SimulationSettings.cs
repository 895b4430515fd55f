using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>What <c>simulate</c> was asked to do, after parsing.</summary>
internal sealed record SimulationSettings(
    CallInfo Call,
    DateTimeOffset AnsweredAt,
    IReadOnlyList<DtmfKeyPress> Keys,
    bool HangupAfterWav,
    TimeSpan MaxDuration,
    bool TransferFails);
