namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>Literal text, or one <c>{{ expression }}</c> of a template.</summary>
public readonly record struct FlowTemplatePart(string? Text, FlowExpression? Expression);
