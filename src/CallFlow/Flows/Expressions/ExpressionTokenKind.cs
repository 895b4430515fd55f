namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>Kinds of token in the expression language.</summary>
internal enum ExpressionTokenKind
{
    End,
    Name,
    Number,
    String,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
    Star,
    Slash,
}
