namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>The contents of routes.yaml: routes tried in order, then the default.</summary>
/// <param name="Routes">Routes in file order; the first that matches wins.</param>
/// <param name="Default">Flow for every other call.</param>
public sealed record FlowRoutes(IReadOnlyList<FlowRoute> Routes, string Default);
