namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>One key of a DTMF script: <paramref name="Digit"/> pressed <paramref name="At"/> after the call was answered.</summary>
public readonly record struct DtmfKeyPress(char Digit, TimeSpan At);
