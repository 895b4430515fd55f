namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>What a model's output tensor holds.</summary>
public enum AudioOutputKind
{
    /// <summary>Unnormalised scores: a softmax turns them into probabilities.</summary>
    Logits,

    /// <summary>Probabilities already (one per class), used as they are.</summary>
    Probabilities,
}
