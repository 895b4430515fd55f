using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallEngine.Tests.Turns;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Tests.Flows;

/// <summary>A transfer the far end asked for (SIP REFER) while the flow runs: bridged, published as requested by remote.</summary>
public sealed class RemoteTransferTests : IDisposable
{
    private const string Flow = "flow: waiting\naccept_refer: true\nstart: hold\nsteps:\n  hold:\n    pause: 10m\n";

    private readonly List<ICallEvent> _events = [];
    private readonly EngineCall _call;
    private readonly BridgingTransport _transport = new();
    private readonly FlowCallChannel _channel;
    private readonly CallFlowRun _run;

    public RemoteTransferTests()
    {
        var time = new ManualTimeProvider();
        _call = new EngineCall(new EngineCallSetup("call-1", new ScriptedDetector(), e => { lock (_events) { _events.Add(e); } }, time)
        {
            AnalysisOptions = new CallAnalysisOptions { NonSpeech = { Enabled = false } },
        });
        _channel = new FlowCallChannel(_call, new CallInfo("call-1", "+15550001", "+15550100", null), _transport, new SilentSpeech(), new SilentPrompts(), "waiting");
        var flow = FlowLoader.LoadText(Flow, "waiting.yaml").Flow!;
        _run = new CallFlowRun(flow, _channel, new FlowRunner(new NoWebhooks(), time), time, NullLogger.Instance);
        _call.Confirm("sip:a@x", "sip:b@y", "PCMU/8000");
    }

    public void Dispose()
    {
        _run.Dispose();
        _call.Dispose();
    }

    [Fact]
    public async Task A_bridged_remote_transfer_ends_the_flow_transferred_without_a_hangup_and_says_who_asked()
    {
        await StartInHoldAsync();

        var outcome = await _run.TransferRequestedAsync("sip:agent@pbx", TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal(("sip:agent@pbx", TransferMode.Bridge), Assert.Single(_transport.Transfers));
        var result = await _run.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((FlowOutcome.Transferred, "sip:agent@pbx"), (result.Outcome, result.Detail));
        Assert.Equal(0, _transport.Hangups);
        CallTransferred transferred;
        lock (_events)
        {
            transferred = Assert.Single(_events.OfType<CallTransferred>());
        }

        Assert.Equal(("sip:agent@pbx", "bridge", "hold", "waiting", "remote"),
            (transferred.Target, transferred.Mode, transferred.Step, transferred.Flow, transferred.RequestedBy));
    }

    [Fact]
    public async Task A_failed_remote_transfer_leaves_the_flow_running_and_publishes_nothing()
    {
        _transport.Succeed = false;
        await StartInHoldAsync();

        var outcome = await _run.TransferRequestedAsync("sip:agent@pbx", TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(new TransferOutcome(false, 503, "Service Unavailable"), outcome);
        Assert.False(_run.Completion.IsCompleted);
        lock (_events)
        {
            Assert.Empty(_events.OfType<CallTransferred>());
        }

        _run.OnCallEnded("caller", "bye");
        Assert.Equal(FlowOutcome.Abandoned, (await _run.Completion.WaitAsync(TimeSpan.FromSeconds(10))).Outcome);
    }

    [Fact]
    public async Task A_flow_not_started_refuses_with_481()
    {
        var outcome = await _run.TransferRequestedAsync("sip:agent@pbx", TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(481, outcome.StatusCode);
        Assert.Empty(_transport.Transfers);
    }

    private async Task StartInHoldAsync()
    {
        _run.Start();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_channel.Step != "hold" && !limit.IsCancellationRequested)
        {
            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>Bridges (or fails to) at once; counts hang-ups.</summary>
    private sealed class BridgingTransport : ICallTransport
    {
        public bool Succeed { get; set; } = true;

        public List<(string Target, TransferMode Mode)> Transfers { get; } = [];

        public int Hangups { get; private set; }

        public Task<bool> PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken) => Task.FromResult(true);

        public void StopPlayout()
        {
        }

        public ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, Action succeeded, CancellationToken cancellationToken)
        {
            Transfers.Add((target, mode));
            if (!Succeed)
            {
                return ValueTask.FromResult(new TransferOutcome(false, 503, "Service Unavailable"));
            }

            succeeded();
            return ValueTask.FromResult(new TransferOutcome(true, 200, "OK"));
        }

        public ICallRecording StartRecording(string stepName) => throw new FlowActionException("not here");

        public ValueTask<bool> SendDigitsAsync(string digits, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask HangupAsync(string reason)
        {
            Hangups++;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoWebhooks : IWebhookClient
    {
        public ValueTask<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken) =>
            throw new FlowActionException("no webhooks here");
    }
}
