using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Service.Hosting;

namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>How far back the live page's aggregates (and <c>/api/aggregates</c> without <c>from</c>) reach.</summary>
internal sealed class AggregateWindow(IOptions<AnalyticsOptions> options, TimeProvider time)
{
    /// <summary>The start of the oldest hour shown: <see cref="AnalyticsOptions.RetainedHours"/> hours including the current one.</summary>
    public DateTimeOffset DefaultFrom() => HourOf(time.GetUtcNow()).AddHours(1 - options.Value.RetainedHours);

    /// <summary>The start of the UTC hour <paramref name="instant"/> falls in.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    /// <summary>The query behind the live page's aggregates table.</summary>
    public TrendQuery LiveQuery() => new(DefaultFrom(), null, null, TimeSpan.FromHours(1), TimeSpan.Zero);
}
