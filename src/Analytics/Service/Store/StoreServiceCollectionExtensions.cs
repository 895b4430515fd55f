using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Service.Ingestion;
using StepAudio.Telephony.Analytics.Service.Queries;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>Registers the store, its read side, the ingestion path and the retention sweep.</summary>
internal static class StoreServiceCollectionExtensions
{
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>()
            .Bind(configuration.GetSection(StoreOptions.SectionName))
            .Validate(o => o.WriteBatchSize >= 1, $"{StoreOptions.SectionName}:WriteBatchSize must be at least 1")
            .ValidateOnStart();
        services.AddSingleton<EventStore>();
        services.AddSingleton<StoreQueries>();
        services.AddSingleton<AggregateWindow>();
        services.AddSingleton<PersonalDataRedactor>();
        services.AddSingleton(sp => new BatchingEventWriter(
            sp.GetRequiredService<EventStore>().AppendBatchAsync, sp.GetRequiredService<IOptions<StoreOptions>>().Value.WriteBatchSize));
        services.AddSingleton<CallEventIngestor>();
        services.AddHostedService<RetentionSweeper>();
        return services;
    }
}
