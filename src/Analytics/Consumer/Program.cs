using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Consumer.CommandLine;
using StepAudio.Telephony.Analytics.Consumer.Lifetime;
using StepAudio.Telephony.Analytics.Consumer.Printing;
using StepAudio.Telephony.Analytics.Topology;

// Event printer: consumes the gateway's call events from its own durable queue and prints one line per
// event to stdout. Broker settings come from appsettings.json or environment variables (RabbitMq__Host, ...).
if (!ConsumerArguments.TryParse(args, out var arguments, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(ConsumerArguments.Usage);
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    // appsettings.json ships next to the dll; the working directory is wherever the script runs from.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

builder.Services.Configure<RabbitMqOptions>(builder.Configuration.GetSection(RabbitMqOptions.SectionName));
builder.Services.AddSingleton(arguments);
builder.Services.AddSingleton(new EventLineWriter(Console.Out));
// Shared by every printer type; 10,000 IDs is minutes of a busy gateway's events, far longer than a redelivery takes.
builder.Services.AddSingleton(new RecentEventIds(10_000));
builder.Services.AddSingleton<ExitCoordinator>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ExitCoordinator>());

builder.Services.AddMassTransit(x =>
{
    // No usage telemetry to MassTransit's host: nothing phones home.
    x.DisableUsageTelemetry();
    foreach (var eventType in EventTopology.EventTypes)
    {
        x.AddConsumer(typeof(CallEventPrinter<>).MakeGenericType(eventType));
    }

    x.UsingRabbitMq((context, cfg) =>
    {
        var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        cfg.UseBroker(options);
        EventTopology.Configure(cfg);
        cfg.ReceiveEndpoint(arguments.QueueName, e =>
        {
            e.Durable = !arguments.Transient;
            e.AutoDelete = arguments.Transient;
            // One message at a time keeps the printed order equal to the queue order.
            e.PrefetchCount = 1;
            e.ConcurrentMessageLimit = 1;
            e.ConfigureConsumers(context);
            e.ConnectReceiveEndpointObserver(new ReadyReporter(arguments.QueueName));
        });
    });
});
// Do not block start on the broker, so --timeout still ends a run against a broker that never answers.
builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = false);

using var host = builder.Build();
var exit = host.Services.GetRequiredService<ExitCoordinator>();
await host.RunAsync();
return exit.ExitCode;
