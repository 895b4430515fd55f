namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>How a model's judgement combines with the acoustic one.</summary>
public enum AudioClassifierMode
{
    /// <summary>The model's scores replace the acoustic scores.</summary>
    Replace,

    /// <summary>Weighted average of the model's and the acoustic scores (<see cref="AudioClassifierOptions.JoinWeight"/>).</summary>
    Join,
}
