using System.Globalization;
using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// The <c>gather</c> verb: prompt, listen, and ask again up to <c>retries</c> times; the answer goes into the flow's
/// <c>digits</c>, <c>input</c>, <c>text</c> and <c>confidence</c>.
/// </summary>
internal sealed class GatherStepExecutor(FlowStepContext context, PromptStepExecutor prompts)
{
    public async ValueTask<StepTransition> GatherAsync(GatherStep step, CancellationToken cancellationToken)
    {
        // Keys pressed before this gather belong to an earlier question; keys pressed during its prompt are
        // type-ahead and answer it.
        var channel = context.Channel;
        var scope = context.Scope;
        channel.ClearInput();
        scope.GatherStartedAt = channel.Signals.Now;
        scope.Digits = string.Empty;
        scope.Input = GatherAnswer.None;
        scope.Text = string.Empty;
        scope.Confidence = null;
        var attempts = Math.Max(0, step.Retries) + 1;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            await PromptAsync(step, cancellationToken);
            GatherAnswer answer;
            context.Monitor.BeginWait();
            try
            {
                answer = await GatherCollector.CollectAsync(channel, step, context.Options.MaxUtterance, cancellationToken);
            }
            finally
            {
                context.Monitor.EndWait();
            }

            if (answer.Answered)
            {
                scope.Digits = answer.Digits;
                scope.Input = answer.Input;
                scope.Text = answer.Text;
                scope.Confidence = answer.Confidence;
                context.InErrorPath = false;
                context.Trace("input", answer.Describe());
                return StepTransition.GoTo(step.Next);
            }

            context.Trace("input", string.Create(CultureInfo.InvariantCulture, $"{answer.Describe()} (attempt {attempt} of {attempts})"));
        }

        // A gather that is itself the on_silence target falls through to next instead of re-entering itself forever.
        var silenceTarget = context.Flow.Handlers.OnSilence?.Goto;
        return StepTransition.GoTo(step.NoInput ?? (silenceTarget != step.Name ? silenceTarget : null) ?? step.Next);
    }

    /// <summary>
    /// The question, said or played once per attempt. Whether the caller cut it short does not matter here: keys or
    /// speech that did are the answer, and the collector reads them next.
    /// </summary>
    private async ValueTask PromptAsync(GatherStep step, CancellationToken cancellationToken)
    {
        if (step.Say is { } say)
        {
            await prompts.SayOnceAsync(prompts.Spoken(say), step.Voice, step.Interruptible, cancellationToken);
        }
        else if (step.Play is { } file)
        {
            await prompts.PlayOnceAsync(file, step.Interruptible, cancellationToken);
        }
    }
}
