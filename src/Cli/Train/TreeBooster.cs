namespace StepAudio.Telephony.Cli.Train;

/// <summary>Which gradient-boosting library grows the one-versus-all trees (both export to the same tree document).</summary>
public enum TreeBooster
{
    /// <summary>ML.NET's own FastTree (MART).</summary>
    FastTree,

    /// <summary>LightGBM through ML.NET (leaf-wise growth, histogram splits).</summary>
    LightGbm,
}
