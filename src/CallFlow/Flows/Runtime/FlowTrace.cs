namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// One thing a flow did, for the simulator's printout and the gateway's log: <paramref name="Kind"/> is
/// <c>step</c>, <c>say</c>, <c>play</c>, <c>input</c>, <c>branch</c>, <c>set</c>, <c>webhook</c>, <c>transfer</c>,
/// <c>record</c>, <c>handler</c>, <c>error</c> or <c>end</c>.
/// </summary>
public sealed record FlowTrace(TimeSpan At, string Kind, string Step, string Detail);
