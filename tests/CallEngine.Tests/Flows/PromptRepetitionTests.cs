using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallEngine.Tests.Turns;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Tests.Flows;

/// <summary>A repeated prompt raises frustration; a <c>loop</c> the flow asked for is no repetition.</summary>
public sealed class PromptRepetitionTests : IDisposable
{
    private readonly EngineCall _call;
    private readonly FlowCallChannel _channel;

    public PromptRepetitionTests()
    {
        _call = new EngineCall(new EngineCallSetup("call-1", new ScriptedDetector(), _ => { }, new ManualTimeProvider())
        {
            AnalysisOptions = new CallAnalysisOptions { NonSpeech = { Enabled = false } },
        });
        _channel = new FlowCallChannel(_call, new CallInfo("call-1", "+15550001", "+15550100", null), new InstantTransport(), new SilentSpeech(), new SilentPrompts(), "test");
        _call.Confirm("sip:a@x", "sip:b@y", "PCMU/8000");
    }

    public void Dispose() => _call.Dispose();

    [Fact]
    public async Task A_loop_is_not_a_repeated_prompt_but_a_reprompt_after_no_answer_is()
    {
        // What FlowExecution traces for `play: { file: menu.wav, loop: 2 }`: the step, then one play per loop.
        Trace("step", "play");
        Trace("play", "menu.wav");
        await _channel.PlayAsync("menu.wav", PromptInterruption.Speech, CancellationToken.None);
        Trace("play", "menu.wav");
        await _channel.PlayAsync("menu.wav", PromptInterruption.Speech, CancellationToken.None);

        Assert.Equal(0, _call.Analysis.Frustration.Current);

        // A gather that heard nothing prompts again: that is the caller hearing the same menu twice.
        Trace("input", "none: no input (attempt 1 of 2)");
        Trace("play", "menu.wav");
        await _channel.PlayAsync("menu.wav", PromptInterruption.Any, CancellationToken.None);

        Assert.True(_call.Analysis.Frustration.Current > 0);
    }

    private void Trace(string kind, string detail) => _channel.OnTrace(new FlowTrace(TimeSpan.Zero, kind, "menu", detail));
}
