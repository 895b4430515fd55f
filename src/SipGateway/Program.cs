using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.DependencyInjection;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Policy;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;
using StepAudio.Telephony.SipGateway.Calls;
using StepAudio.Telephony.SipGateway.Calls.Admission;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.SipGateway.Calls.Flows;
using StepAudio.Telephony.SipGateway.Hosting;
using StepAudio.Telephony.SipGateway.Hosting.Health;
using StepAudio.Telephony.SipGateway.Media;
using StepAudio.Telephony.SipGateway.Media.Recording;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.Registration;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

// Settings come from appsettings.json beside the executable, then environment variables (Sip__Port=5070),
// then the command line (--Sip:Port=5070); later sources win.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

var configuration = builder.Configuration;
builder.Services.AddOptions<SipOptions>().Bind(configuration.GetSection("Sip"));
builder.Services.AddSipSecurity(configuration);
builder.Services.AddOptions<RtpOptions>().Bind(configuration.GetSection(RtpOptions.SectionName));
builder.Services.AddOptions<VadOptions>().Bind(configuration.GetSection(VadOptions.SectionName))
    .Validate(o => { o.Validate(); return true; });
builder.Services.AddOptions<CallsOptions>().Bind(configuration.GetSection(CallsOptions.SectionName));
builder.Services.AddOptions<ListeningPolicyOptions>().Bind(configuration.GetSection(ListeningPolicyOptions.SectionName));
builder.Services.AddOptions<SpeechSynthesisOptions>().Bind(configuration.GetSection(SpeechSynthesisOptions.SectionName));
builder.Services.AddOptions<PromptOptions>().Bind(configuration.GetSection(PromptOptions.SectionName));
builder.Services.AddOptions<RecordingOptions>().Bind(configuration.GetSection(RecordingOptions.SectionName));
builder.Services.AddOptions<CallAnalysisOptions>().Bind(configuration.GetSection(CallAnalysisOptions.SectionName))
    .Validate(o => { o.Validate(); return true; });
builder.Services.AddOptions<FrustrationOptions>().Bind(configuration.GetSection(FrustrationOptions.SectionName))
    .Validate(o => { o.Validate(); return true; });
builder.Services.AddOptions<ParalinguisticsOptions>().Bind(configuration.GetSection(ParalinguisticsOptions.SectionName))
    .Validate(o => { o.Validate(); return true; });

builder.Services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.SectionName));
builder.Services.AddOptions<DrainOptions>().Bind(configuration.GetSection(DrainOptions.SectionName))
    .Validate(o => o.Timeout >= TimeSpan.Zero && o.RetryAfter >= TimeSpan.Zero, "Drain:Timeout and Drain:RetryAfter must not be negative.");
// SIGTERM drains calls for up to Drain:Timeout; the host must give the gateway that long, plus time to flush events.
var drainTimeout = configuration.GetSection(DrainOptions.SectionName).Get<DrainOptions>()?.Timeout ?? new DrainOptions().Timeout;
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = drainTimeout + TimeSpan.FromSeconds(30));

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<GatewayReadiness>();
builder.Services.AddSingleton<SileroVadModel>();
builder.Services.AddSingleton<VadBatchScheduler>();
builder.Services.AddCallAdmission(configuration); // the overload guard reads the scheduler's lateness
builder.Services.AddSingleton<RtpPortAllocator>();
builder.Services.AddSingleton<ISpeechSynthesizer>(sp => new EspeakSpeechSynthesizer(sp.GetRequiredService<IOptions<SpeechSynthesisOptions>>().Value));
builder.Services.AddSingleton<IPromptStore>(sp =>
{
    // Files from the prompt directory; `play: https://...` downloaded (time limit, size bound, cache).
    var prompts = sp.GetRequiredService<IOptions<PromptOptions>>().Value;
    return new UrlPromptStore(new WavPromptStore(prompts), new HttpClient(), prompts, sp.GetRequiredService<TimeProvider>());
});
builder.Services.AddSingleton<CallMediaFactory>();
builder.Services.AddSingleton<ISegmentAnalyzer>(sp => SegmentAnalyzers.CreateDefault(
    sp.GetRequiredService<IOptions<ParalinguisticsOptions>>().Value,
    sp.GetRequiredService<ILoggerFactory>()));
builder.Services.AddSingleton<SegmentAnalysisQueue>();
builder.Services.AddCallFlows(configuration); // nothing when CallFlow:Enabled is false or there is no flow directory
builder.Services.AddSingleton<CallManager>();

// Registered before the gateway so that it stops after it: the last calls' events are queued by then.
builder.Services.AddCallEventPublishing(configuration);
// Before the gateway so that it stops after it: /readyz answers 503 throughout the drain.
builder.Services.AddHostedService<HealthEndpointService>();
builder.Services.AddHostedService<GatewayService>();
builder.Services.AddPrometheusMetrics(configuration);
builder.Services.AddOtlpTracing(configuration); // off unless Tracing:Enabled
builder.Services.AddTrunkRegistrations(configuration); // after the gateway: starts after, stops (unregisters) before it

using var host = builder.Build();
try
{
    await host.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is OptionsValidationException or ArgumentException or FileNotFoundException or InvalidOperationException or FlowValidationException)
{
    // Configuration and start-up errors get one clear line, not a stack trace an operator has to read.
    await Console.Error.WriteLineAsync("Gateway cannot start: " + ex.Message);
    return 1;
}
