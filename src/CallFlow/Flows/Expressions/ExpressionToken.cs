namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>One token: its kind, where it starts and ends (exclusive) in the expression text, and its text (names, numbers, unescaped strings).</summary>
internal readonly record struct ExpressionToken(ExpressionTokenKind Kind, int Offset, int End, string Text);
