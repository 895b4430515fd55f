using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>gather</c>: an optional prompt, then keys and/or speech.</summary>
public sealed record GatherStep : FlowStep
{
    /// <summary>What to listen for.</summary>
    public GatherInput Input { get; init; } = GatherInput.Dtmf;

    /// <summary>Prompt spoken first, or null.</summary>
    public FlowTemplate? Say { get; init; }

    /// <summary>Recorded prompt played first, or null (at most one of <see cref="Say"/> and <see cref="Play"/>).</summary>
    public string? Play { get; init; }

    /// <summary>Voice of <see cref="Say"/>; null uses the flow's.</summary>
    public string? Voice { get; init; }

    /// <summary>Collection ends when this many keys came.</summary>
    public int MaxDigits { get; init; } = 1;

    /// <summary>Fewer keys than this (before the finish key or a timeout) count as no input.</summary>
    public int MinDigits { get; init; } = 1;

    /// <summary>Key that ends collection early (not part of the digits); null for none.</summary>
    public char? FinishOnKey { get; init; } = '#';

    /// <summary>Wait for the first input after the prompt ended.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait for each further key.</summary>
    public TimeSpan InterDigitTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Silence that ends a spoken answer; null leaves it to the gateway's turn detection.</summary>
    public TimeSpan? SpeechTimeout { get; init; }

    /// <summary>How often the prompt is repeated when nothing came.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>What stops the prompt; by default keys and speech, since either is the answer.</summary>
    public PromptInterruption Interruptible { get; init; } = PromptInterruption.Any;

    /// <summary>Step when retries are used up with no input; null: <c>on_silence</c>, else <see cref="FlowStep.Next"/>.</summary>
    public string? NoInput { get; init; }

    /// <inheritdoc />
    public override string Verb => "gather";
}
