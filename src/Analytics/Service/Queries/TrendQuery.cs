namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>Calls grouped per flow and per bucket of their start time.</summary>
/// <param name="From">Calls that started at or after this instant.</param>
/// <param name="To">Calls that started before this instant.</param>
/// <param name="Flow">Only this flow.</param>
/// <param name="Bucket">An hour or a day.</param>
/// <param name="UtcOffset">The viewer's offset from UTC: days start at the viewer's midnight.</param>
public sealed record TrendQuery(DateTimeOffset? From, DateTimeOffset? To, string? Flow, TimeSpan Bucket, TimeSpan UtcOffset);
