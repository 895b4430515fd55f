using System.Globalization;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Speech.Ssml;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>The verbs that play to the caller (<c>say</c>, <c>play</c>, <c>pause</c>), and the prompt of a <c>gather</c>.</summary>
internal sealed class PromptStepExecutor(FlowStepContext context)
{
    public async ValueTask<StepTransition> SayAsync(SayStep step, CancellationToken cancellationToken)
    {
        var text = Spoken(step.Text);
        for (var i = 0; i < Math.Max(1, step.Loop); i++)
        {
            if (await SayOnceAsync(text, step.Voice, step.Interruptible, cancellationToken))
            {
                break;
            }
        }

        return StepTransition.GoTo(step.Next);
    }

    public async ValueTask<StepTransition> PlayAsync(PlayStep step, CancellationToken cancellationToken)
    {
        for (var i = 0; i < Math.Max(1, step.Loop); i++)
        {
            if (await PlayOnceAsync(step.File, step.Interruptible, cancellationToken))
            {
                break;
            }
        }

        return StepTransition.GoTo(step.Next);
    }

    public async ValueTask<StepTransition> PauseAsync(PauseStep step, CancellationToken cancellationToken)
    {
        context.Trace("pause", string.Create(CultureInfo.InvariantCulture, $"{step.Length.TotalSeconds:0.###}s"));
        await context.Channel.PauseAsync(step.Length, cancellationToken);
        return StepTransition.GoTo(step.Next);
    }

    /// <summary>A <c>say</c> text rendered; values put into SSML are escaped, so caller data stays text.</summary>
    public string Spoken(FlowTemplate text) =>
        SsmlText.IsSsml(text.Source) ? text.Render(context.Scope, SsmlText.Escape) : text.Render(context.Scope);

    /// <summary>Says <paramref name="text"/> once, in the step's voice or else the flow's; true when something stopped it early.</summary>
    public async ValueTask<bool> SayOnceAsync(string text, string? voice, PromptInterruption interruptible, CancellationToken cancellationToken)
    {
        context.Trace("say", text);
        return Interrupted(await context.Channel.SayAsync(text, voice ?? context.Flow.Voice, interruptible, cancellationToken));
    }

    /// <summary>Plays <paramref name="file"/> once; true when something stopped it early.</summary>
    public async ValueTask<bool> PlayOnceAsync(string file, PromptInterruption interruptible, CancellationToken cancellationToken)
    {
        context.Trace("play", file);
        return Interrupted(await context.Channel.PlayAsync(file, interruptible, cancellationToken));
    }

    /// <summary>Traces what stopped a prompt early; true when something did.</summary>
    private bool Interrupted(PromptResult result)
    {
        switch (result)
        {
            case PromptResult.BargedIn:
                context.Trace("interrupt", "the caller spoke over the prompt");
                return true;
            case PromptResult.KeyPressed:
                context.Trace("interrupt", "a key press stopped the prompt");
                return true;
            default:
                return false;
        }
    }
}
