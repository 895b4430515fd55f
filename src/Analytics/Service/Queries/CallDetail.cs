using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>A call and every event stored for it, in sequence order.</summary>
/// <param name="Call">Its summary.</param>
/// <param name="Events">Its events, including types this service does not interpret.</param>
public sealed record CallDetail(CallSummary Call, IReadOnlyList<EventView> Events);
