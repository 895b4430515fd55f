namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>One token: its kind, where it starts in the expression text, and its text (names, numbers, unescaped strings).</summary>
internal readonly record struct ExpressionToken(ExpressionTokenKind Kind, int Offset, string Text);
