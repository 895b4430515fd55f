using StepAudio.Telephony.Analytics.Service.Hosting;

// The analytics service: consumes call events from RabbitMQ, keeps per-flow and per-hour aggregates and serves
// them as JSON and as a live page (server-sent events). Settings: appsettings.json, Analytics__*/RabbitMq__* env.
await using var app = AnalyticsServiceHost.Build(args);
await app.RunAsync();

/// <summary>Entry point; public so the test project can name the assembly.</summary>
public partial class Program;
