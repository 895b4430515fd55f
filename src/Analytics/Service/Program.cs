// The analytics service: consumes call events from RabbitMQ, keeps per-flow and per-hour aggregates and serves
// them as JSON and as a live page (server-sent events). Built in issue 8.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => "ok");
await app.RunAsync();
