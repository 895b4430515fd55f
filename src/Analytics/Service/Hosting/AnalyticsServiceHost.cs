using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Service.Consuming;
using StepAudio.Telephony.Analytics.Service.Live;
using StepAudio.Telephony.Analytics.Service.Store;
using StepAudio.Telephony.Analytics.Service.Web;

namespace StepAudio.Telephony.Analytics.Service.Hosting;

/// <summary>Builds the service's web application; Program.cs and the tests share it so tests run the real wiring.</summary>
public static class AnalyticsServiceHost
{
    /// <summary>Where the page listens unless Analytics:Http:Urls or ASPNETCORE_URLS says otherwise: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships next to the dll; the working directory is wherever the script runs from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        var urls = builder.Configuration["Analytics:Http:Urls"];
        if (!string.IsNullOrEmpty(urls))
        {
            builder.WebHost.UseUrls(urls);
        }
        else if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        var services = builder.Services;
        services.Configure<AnalyticsOptions>(builder.Configuration.GetSection(AnalyticsOptions.SectionName));
        services.Configure<RabbitMqOptions>(builder.Configuration.GetSection(RabbitMqOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LiveUpdateHub>();
        services.AddSingleton<ActiveCallMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ActiveCallMonitor>());
        services.AddEventStore(builder.Configuration);
        services.AddSingleton<ConsumingMetrics>();
        services.AddSingleton<EventStreamWriter>();
        if (builder.Configuration.GetValue(AnalyticsOptions.SectionName + ":" + nameof(AnalyticsOptions.ConsumeFromBroker), true))
        {
            services.AddCallEventConsumption();
        }

        var app = builder.Build();
        app.MapAnalyticsEndpoints();
        return app;
    }
}
