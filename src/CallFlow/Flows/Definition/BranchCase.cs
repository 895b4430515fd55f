using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>One <c>if</c>/<c>goto</c> pair of a branch.</summary>
public sealed record BranchCase(FlowExpression Condition, string Goto, SourceLocation Location);
