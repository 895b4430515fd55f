namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>Operators with two operands that evaluate both.</summary>
internal enum BinaryOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    In,
    Add,
    Subtract,
    Multiply,
    Divide,
}
