using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Service.Ingestion;
using StepAudio.Telephony.Analytics.Service.Queries;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>Registers the store, its read side, the ingestion path and the retention sweep.</summary>
internal static class StoreServiceCollectionExtensions
{
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StoreOptions>(configuration.GetSection(StoreOptions.SectionName));
        services.AddSingleton<EventStore>();
        services.AddSingleton<StoreQueries>();
        services.AddSingleton<AggregateWindow>();
        services.AddSingleton<PersonalDataRedactor>();
        services.AddSingleton(sp =>
        {
            var size = sp.GetRequiredService<IOptions<StoreOptions>>().Value.WriteBatchSize;
            return size >= 1
                ? new BatchingEventWriter(sp.GetRequiredService<EventStore>().AppendBatchAsync, size)
                : throw new InvalidOperationException($"{StoreOptions.SectionName}:WriteBatchSize must be at least 1, not {size}");
        });
        services.AddSingleton<CallEventIngestor>();
        services.AddHostedService<RetentionSweeper>();
        return services;
    }
}
