using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// The listening half of a <c>gather</c>, after its prompt: the first input within <see cref="GatherStep.Timeout"/>,
/// each further key within <see cref="GatherStep.InterDigitTimeout"/>, until <see cref="GatherStep.MaxDigits"/> or the
/// finish key; or, for speech, the end of the caller's turn once speaking began.
/// </summary>
internal static class GatherCollector
{
    /// <summary>The caller's answer, or null when nothing usable came (too few keys count as nothing).</summary>
    public static async ValueTask<GatherAnswer?> CollectAsync(
        ICallChannel channel, GatherStep step, TimeSpan maxUtterance, CancellationToken cancellationToken)
    {
        var dtmf = (step.Input & GatherInput.Dtmf) != 0;
        var speech = (step.Input & GatherInput.Speech) != 0;
        var digits = string.Empty;
        var speaking = false;
        var deadline = channel.Signals.Now + step.Timeout;
        while (true)
        {
            var remaining = deadline - channel.Signals.Now;
            var input = remaining > TimeSpan.Zero
                ? await channel.NextInputAsync(remaining, cancellationToken)
                : null;
            if (input is not { } received)
            {
                return digits.Length >= step.MinDigits && digits.Length > 0 ? GatherAnswer.Keys(digits) : null;
            }

            switch (received.Kind)
            {
                case CallerInputKind.Digit when dtmf && !speaking:
                    if (received.Digit == step.FinishOnKey)
                    {
                        return digits.Length >= step.MinDigits ? GatherAnswer.Keys(digits) : null;
                    }

                    digits += received.Digit;
                    if (digits.Length >= step.MaxDigits)
                    {
                        return GatherAnswer.Keys(digits);
                    }

                    deadline = channel.Signals.Now + step.InterDigitTimeout;
                    break;

                case CallerInputKind.SpeechStarted when speech && digits.Length == 0:
                    // Once the caller talks, the first-input timeout no longer applies: the answer ends with the turn.
                    speaking = true;
                    deadline = channel.Signals.Now + maxUtterance;
                    break;

                case CallerInputKind.SpeechEnded when speech && digits.Length == 0:
                    return GatherAnswer.Spoken(received.Duration);

                default:
                    // Input this gather does not listen for (speech in a keys-only menu) neither answers nor extends it.
                    break;
            }
        }
    }
}

/// <summary>What a gather collected: keys (without the finish key) or a spoken answer.</summary>
internal sealed record GatherAnswer(string Input, string Digits, TimeSpan SpeechDuration)
{
    public static GatherAnswer Keys(string digits) => new(FlowScopeNames.InputDtmf, digits, TimeSpan.Zero);

    public static GatherAnswer Spoken(TimeSpan duration) => new(FlowScopeNames.InputSpeech, string.Empty, duration);
}
