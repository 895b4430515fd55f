namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>A search over stored calls; every filter is optional and they combine with AND.</summary>
/// <param name="From">Calls that started at or after this instant.</param>
/// <param name="To">Calls that started before this instant.</param>
/// <param name="Flow">Calls of this flow (<c>(none)</c> for calls without one).</param>
/// <param name="Outcome">A member of <see cref="Store.Vocabulary.Outcomes"/>.</param>
/// <param name="FrustrationAbove">Calls whose peak frustration is above this, 0–1.</param>
/// <param name="Has">Vocal events the call must contain (<c>sigh</c>, <c>laugh</c>, <c>crying</c>).</param>
/// <param name="Emotion">A label at least one turn of the call had.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Calls per page.</param>
public sealed record CallQuery(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Flow = null,
    string? Outcome = null,
    double? FrustrationAbove = null,
    IReadOnlyList<string>? Has = null,
    string? Emotion = null,
    int Page = 1,
    int PageSize = 50);
