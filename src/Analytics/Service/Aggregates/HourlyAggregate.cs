using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>The running sums behind one <see cref="AggregateRow"/>. Not thread-safe: the aggregator locks.</summary>
internal sealed class HourlyAggregate(BucketKey key)
{
    private long _started;
    private long _ended;
    private long _completed;
    private long _transferred;
    private long _abandoned;
    private long _failed;
    private long _unknown;
    private double _sumPeakFrustration;
    private double _maxPeakFrustration;
    private double _sumDurationSeconds;
    private long _sighs;
    private long _laughs;
    private long _transfers;

    public BucketKey Key { get; } = key;

    public void CallStarted() => _started++;

    public void CallTransferred() => _transfers++;

    /// <summary>Adds an ended call. Vocal events come from CallEnded only, so a sigh is never counted twice.</summary>
    public void CallEnded(CallEnded ended, double peakFrustration)
    {
        _ended++;
        switch (ended.Outcome?.ToUpperInvariant())
        {
            case "COMPLETED": _completed++; break;
            case "TRANSFERRED": _transferred++; break;
            case "ABANDONED": _abandoned++; break;
            case "FAILED": _failed++; break;
            default: _unknown++; break;
        }

        _sumPeakFrustration += peakFrustration;
        _maxPeakFrustration = Math.Max(_maxPeakFrustration, peakFrustration);
        _sumDurationSeconds += Math.Max(0, ended.DurationSeconds);
        _sighs += CountOf(ended.VocalEvents, "Sigh");
        _laughs += CountOf(ended.VocalEvents, "Laugh");
    }

    public AggregateRow ToRow()
    {
        var minutes = _sumDurationSeconds / 60;
        return new AggregateRow(
            Key.Flow,
            Key.Hour,
            _started,
            _ended,
            new OutcomeCounts(_completed, _transferred, _abandoned, _failed, _unknown),
            PerCall(_sumPeakFrustration),
            _maxPeakFrustration,
            PerCall(_sumDurationSeconds),
            _sighs,
            _laughs,
            PerCall(_sighs),
            PerCall(_laughs),
            minutes > 0 ? _sighs / minutes : 0,
            minutes > 0 ? _laughs / minutes : 0,
            _transfers);
    }

    private double PerCall(double sum) => _ended > 0 ? sum / _ended : 0;

    private static int CountOf(IReadOnlyDictionary<string, int>? counts, string kind)
    {
        if (counts is null)
        {
            return 0;
        }

        // Kinds are spelled like the contract's enum names, but a consumer should not depend on their casing.
        var total = 0;
        foreach (var (name, count) in counts)
        {
            if (string.Equals(name, kind, StringComparison.OrdinalIgnoreCase) && count > 0)
            {
                total += count;
            }
        }

        return total;
    }
}
