using System.Globalization;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>The boosted trees' size (chosen by speaker-grouped cross-validation only; see README).</summary>
/// <param name="Trees">Trees per class.</param>
/// <param name="Leaves">Most leaves a tree may have.</param>
/// <param name="MinLeafClips">Fewest clips a leaf may hold.</param>
/// <param name="LearningRate">Shrinkage of each tree.</param>
/// <param name="Booster">The library that grows the trees.</param>
/// <param name="TwoStage">Vocal events: a gate (an event or none) and then which event (<c>event_gate_platt</c>), instead of one-versus-all over all classes.</param>
public sealed record TreeSettings(int Trees = 100, int Leaves = 16, int MinLeafClips = 10, double LearningRate = 0.1, TreeBooster Booster = TreeBooster.FastTree, bool TwoStage = false)
{
    /// <summary>The defaults.</summary>
    public static TreeSettings Default { get; } = new();

    /// <summary>What the provenance says trained the model.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"{Scheme} ({Trees} trees of at most {Leaves} leaves, learning rate {LearningRate}, at least {MinLeafClips} clips a leaf, one thread), Platt-calibrated, class-balanced weights, raw measures");

    /// <summary>How the classes are split into binary models and which library grows them (the start of <see cref="Description"/>).</summary>
    public string Scheme =>
        $"ML.NET {(TwoStage ? "two-stage (none-or-event gate, then one-versus-all among the events)" : "one-versus-all")} {BoosterName} binary";

    /// <summary>The trainer's name in provenance and logs.</summary>
    public string BoosterName => Booster == TreeBooster.LightGbm ? "LightGbm" : "FastTree";

    /// <summary>Refuses sizes FastTree cannot train.</summary>
    /// <exception cref="InvalidOperationException">A size out of range.</exception>
    public TreeSettings Validated() => Trees < 1 || Leaves < 2 || MinLeafClips < 1 || !(LearningRate is > 0 and <= 1)
        ? throw new InvalidOperationException("--trees ≥ 1, --leaves ≥ 2, --min-leaf-clips ≥ 1 and a learning rate in (0, 1] are required.")
        : this;
}
