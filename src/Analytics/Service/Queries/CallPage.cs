using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>One page of a call search, newest call first.</summary>
/// <param name="Total">Calls matching the filters, on all pages.</param>
/// <param name="Page">This page's number, from 1.</param>
/// <param name="PageSize">Calls per page.</param>
/// <param name="Calls">This page's calls.</param>
public sealed record CallPage(long Total, int Page, int PageSize, IReadOnlyList<CallSummary> Calls);
