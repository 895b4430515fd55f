namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>Goes to <paramref name="Goto"/> when frustration stays above <paramref name="Above"/> for <paramref name="For"/>.</summary>
public sealed record FrustrationHandler(double Above, TimeSpan For, string Goto, bool Once, SourceLocation Location);
