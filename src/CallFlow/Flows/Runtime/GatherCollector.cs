using System.Globalization;
using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// The listening half of a <c>gather</c>, after its prompt: the first input within <see cref="GatherStep.Timeout"/>,
/// each further key within <see cref="GatherStep.InterDigitTimeout"/>, until <see cref="GatherStep.MaxDigits"/> or the
/// finish key; or, for speech, the end of the caller's turn once speaking began.
/// </summary>
internal static class GatherCollector
{
    /// <summary>The caller's answer, or <see cref="GatherAnswer.None"/> with what happened instead.</summary>
    public static async ValueTask<GatherAnswer> CollectAsync(
        ICallChannel channel, GatherStep step, TimeSpan maxUtterance, CancellationToken cancellationToken)
    {
        var dtmf = (step.Input & GatherInput.Dtmf) != 0;
        var speech = (step.Input & GatherInput.Speech) != 0;
        var digits = string.Empty;
        var speaking = false;
        var dropped = 0;
        var speechStartedAt = TimeSpan.Zero;
        var firstInputDeadline = channel.Signals.Now + step.Timeout;
        var deadline = firstInputDeadline;
        while (true)
        {
            var now = channel.Signals.Now;
            var remaining = deadline - now;
            if (speaking && step.SpeechTimeout is { } speechTimeout)
            {
                // speech_timeout overrides the gateway's turn detection: enough quiet after speech ends the answer.
                var quiet = channel.Signals.CallerSpeaking ? TimeSpan.Zero : now - channel.Signals.LastCallerActivity;
                if (quiet >= speechTimeout)
                {
                    return GatherAnswer.Spoken(now - quiet - speechStartedAt);
                }

                remaining = Min(remaining, Max(speechTimeout - quiet, TimeSpan.FromMilliseconds(100)));
            }

            var input = remaining > TimeSpan.Zero
                ? await channel.NextInputAsync(remaining, cancellationToken)
                : null;
            if (input is null && speaking && step.SpeechTimeout is not null && channel.Signals.Now < deadline)
            {
                continue;
            }

            if (input is not { } received)
            {
                if (speaking)
                {
                    // The caller spoke but turn detection never reported the end within MaxUtterance: still an answer.
                    return GatherAnswer.Spoken(channel.Signals.Now - speechStartedAt);
                }

                return Ended(digits, step, dropped);
            }

            switch (received.Kind)
            {
                case CallerInputKind.Digit when dtmf && !speaking:
                    if (received.Digit == step.FinishOnKey)
                    {
                        return digits.Length >= step.MinDigits ? GatherAnswer.Keys(digits) : TooFew(digits, step, finished: true);
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
                    speechStartedAt = received.At;
                    deadline = channel.Signals.Now + maxUtterance;
                    break;

                case CallerInputKind.SpeechDropped when speaking:
                    // A breath or a click the VAD first took for speech: no turn comes, so the first-input timeout
                    // applies again instead of waiting the longest utterance for an end that never comes.
                    speaking = false;
                    dropped++;
                    deadline = firstInputDeadline;
                    break;

                case CallerInputKind.SpeechEnded when speech && digits.Length == 0:
                    return GatherAnswer.Spoken(received.Duration, received.Turn, received.Text, received.Confidence);

                default:
                    // Input this gather does not listen for (speech in a keys-only menu) neither answers nor extends it.
                    break;
            }
        }
    }

    private static GatherAnswer Ended(string digits, GatherStep step, int dropped)
    {
        if (digits.Length > 0)
        {
            return digits.Length >= step.MinDigits ? GatherAnswer.Keys(digits) : TooFew(digits, step, finished: false);
        }

        return GatherAnswer.Nothing(dropped == 0
            ? "no input"
            : string.Create(CultureInfo.InvariantCulture, $"no input ({dropped} sound(s) too short to be speech)"));
    }

    private static GatherAnswer TooFew(string digits, GatherStep step, bool finished) =>
        GatherAnswer.Nothing(string.Create(
            CultureInfo.InvariantCulture,
            $"too few digits ('{digits}'{(finished ? $" then {step.FinishOnKey}" : " then silence")}, at least {step.MinDigits} required)"));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
