using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>A place that names a step (<c>next</c>, <c>goto</c>, <c>no_input</c>, …), checked once every step is known.</summary>
internal sealed record StepReference(string From, string Target, YamlNode Node, string Field);
