namespace StepAudio.Telephony.Cli.Train;

/// <summary>How one of <see cref="TurnOrders"/>' other orders is made.</summary>
public enum TurnOrderKind
{
    /// <summary>The speaker's clips shuffled.</summary>
    Shuffled,

    /// <summary>The speaker's clips grouped by label, the groups in a shuffled order.</summary>
    LabelBlocks,

    /// <summary>Every clip judged with no baseline (the population's norms).</summary>
    NoBaseline,
}
