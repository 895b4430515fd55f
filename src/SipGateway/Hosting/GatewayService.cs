using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.SipGateway.Calls;
using StepAudio.Telephony.SipGateway.Calls.Admission;
using StepAudio.Telephony.SipGateway.Hosting.Health;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Hosting;

/// <summary>
/// Runs the gateway: loads the model and renders the greeting before taking the first call (a gateway that
/// would fail on its first call should fail at start instead), listens for SIP, supervises calls, and on
/// shutdown drains: new INVITEs and OPTIONS get 503 at once (a load balancer moves on), calls in progress may finish
/// for up to Drain:Timeout, then the rest are ended with BYE and their last events queued.
/// </summary>
internal sealed partial class GatewayService(
    IOptions<SipOptions> sipOptions,
    IOptions<CallsOptions> callsOptions,
    CallManager calls,
    SileroVadModel vad,
    ISpeechSynthesizer speech,
    TimeProvider time,
    SipRequestFilter filter,
    SipClientChannel clientChannel,
    GatewayReadiness readiness,
    IOptions<DrainOptions> drainOptions,
    CallAdmission admission,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<GatewayService>();
    private readonly CancellationTokenSource _stopping = new();
    private SipUserAgentServer? _server;
    private Task _supervision = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        LogModel(_logger, vad.ModelPath, vad.ExecutionProvider);
        readiness.MarkModelsLoaded();
        // An invalid flow set stops the start-up before this point; live reload only ever swaps in a valid one.
        readiness.MarkFlowsValid(calls.Flows is null ? "disabled" : "valid");
        var greeting = callsOptions.Value.Greeting;
        // With call flows the greeting is never played: the flows say what callers hear.
        if (calls.Flows is null && !string.IsNullOrWhiteSpace(greeting))
        {
            try
            {
                var audio = await speech.SynthesizeAsync(greeting, null, cancellationToken);
                LogGreeting(_logger, audio.Length / 8000.0);
            }
            catch (SpeechSynthesisException ex)
            {
                LogGreetingFailed(_logger, ex);
            }
        }

        var sip = sipOptions.Value;
        _server = new SipUserAgentServer(sip, calls, loggerFactory, filter, time)
        {
            Availability = Availability(),
        };
        try
        {
            await _server.StartAsync(cancellationToken);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // Usually another SIP server (or a second gateway) already holds the port.
            throw new InvalidOperationException($"SIP cannot listen on udp/{sip.ListenAddress}:{sip.Port}: {ex.Message}", ex);
        }

        readiness.MarkSipBound();
        LogListening(_logger, _server.LocalEndPoint);
        if (Rtp.MediaClock.Shared.IsRealTime)
        {
            LogMediaClock(_logger);
        }
        else
        {
            LogMediaClockNotRealTime(_logger);
        }

        clientChannel.Attach(_server, sipOptions.Value); // outbound REGISTER shares this socket
        calls.Flows?.Attach(new Calls.Flows.SipFlowCallControl(_server));
        var supervisor = new CallSupervisor(calls, new SipCallHangup(_server), time, loggerFactory.CreateLogger<CallSupervisor>());
        _supervision = supervisor.RunAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        await _stopping.CancelAsync();
        await _supervision;
        var active = calls.ActiveCalls;
        if (_server is not null)
        {
            // Disposing the user agent sends BYE on every call still up; each ends with reason "shutdown".
            await _server.DisposeAsync();
            _server = null;
        }

        await calls.DrainAsync().WaitAsync(cancellationToken);
        LogStopped(_logger, active);
    }

    /// <summary>
    /// Refuses new calls and waits, up to Drain:Timeout, for the calls in progress to end by themselves; the
    /// supervisor keeps enforcing media timeouts and maximum durations meanwhile.
    /// </summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        readiness.BeginDrain();
        var bound = drainOptions.Value.Timeout;
        var started = time.GetTimestamp();
        var inProgress = InProgress();
        LogDraining(_logger, inProgress, bound.TotalSeconds);
        while (InProgress() > 0 && time.GetElapsedTime(started) < bound && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        var elapsed = time.GetElapsedTime(started).TotalSeconds;
        var remaining = InProgress();
        LogDrained(_logger, elapsed, remaining);
    }

    /// <summary>
    /// What new INVITEs and OPTIONS get: 503 while draining, overloaded, at the call cap or otherwise not ready, each
    /// with its reason (a metric tag) and Retry-After; the cap itself is enforced exactly by the user agent.
    /// </summary>
    private SipAvailability Availability()
    {
        var draining = new SipRefusal("draining", drainOptions.Value.RetryAfter);
        var unavailable = new SipRefusal("unavailable", drainOptions.Value.RetryAfter);
        admission.CountCallsWith(() => _server?.ActiveDialogCount ?? 0);
        return new SipAvailability(
            () => readiness.IsDraining ? draining : admission.Refusal() ?? (readiness.IsReady ? null : unavailable),
            admission.MaxConcurrentCalls,
            admission.Full,
            admission.OnRefused);
    }

    private int InProgress() => Math.Max(calls.ActiveCalls, _server?.ActiveDialogCount ?? 0);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Voice activity model {ModelPath} on {Provider}")]
    private static partial void LogModel(ILogger logger, string modelPath, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Greeting rendered ({Seconds:F1} s)")]
    private static partial void LogGreeting(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Greeting could not be rendered; calls will be answered in silence")]
    private static partial void LogGreetingFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTP pacing clock runs under the real-time scheduler (SCHED_FIFO)")]
    private static partial void LogMediaClock(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP pacing clock could not get real-time scheduling (needs root or CAP_SYS_NICE); outgoing audio may be late by a scheduler slice under load")]
    private static partial void LogMediaClockNotRealTime(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on udp/{EndPoint}")]
    private static partial void LogListening(ILogger logger, System.Net.IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: new calls get 503; waiting up to {Seconds:F0} s for {Calls} call(s) in progress")]
    private static partial void LogDraining(ILogger logger, int calls, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drain ended after {Seconds:F1} s; {Calls} call(s) still up will be ended now")]
    private static partial void LogDrained(ILogger logger, double seconds, int calls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway stopped; {Calls} call(s) were ended at shutdown")]
    private static partial void LogStopped(ILogger logger, int calls);
}
