using StepAudio.Telephony.Analytics.Service.Aggregates;

namespace StepAudio.Telephony.Analytics.Service.Live;

/// <summary>The changes taken from a <see cref="LiveSubscription"/> in one go.</summary>
internal sealed record LivePending(IReadOnlyList<ActiveCallView> Changed, IReadOnlyList<string> Ended, bool AggregatesChanged);
