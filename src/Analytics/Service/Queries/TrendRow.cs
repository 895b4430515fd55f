using StepAudio.Telephony.Analytics.Service.Aggregates;

namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>The calls of one flow that started in one bucket (an hour or the viewer's day).</summary>
/// <param name="Flow">The flow, or <c>(none)</c>.</param>
/// <param name="Bucket">The bucket's start.</param>
/// <param name="Calls">Calls stored.</param>
/// <param name="CallsStarted">Of those, calls whose CallStarted was received.</param>
/// <param name="CallsEnded">Calls whose CallEnded was received; averages below are over these.</param>
/// <param name="Outcomes">Ended calls per outcome.</param>
/// <param name="MeanPeakFrustration">Mean of the ended calls' peak frustration.</param>
/// <param name="PeakFrustration">The highest peak frustration of an ended call.</param>
/// <param name="FrustrationBands">Ended calls by peak frustration: [0, 0.25), [0.25, 0.5), [0.5, 0.75), [0.75, 1].</param>
/// <param name="Emotions">Turns per emotion label, over all calls.</param>
/// <param name="DurationSeconds">Total duration of the ended calls.</param>
/// <param name="Sighs">Sighs in ended calls.</param>
/// <param name="Laughs">Laughs in ended calls.</param>
/// <param name="Crying">Crying in ended calls.</param>
/// <param name="Transfers">CallTransferred events of all calls.</param>
public sealed record TrendRow(
    string Flow,
    DateTimeOffset Bucket,
    long Calls,
    long CallsStarted,
    long CallsEnded,
    OutcomeCounts Outcomes,
    double MeanPeakFrustration,
    double PeakFrustration,
    IReadOnlyList<long> FrustrationBands,
    IReadOnlyDictionary<string, long> Emotions,
    double DurationSeconds,
    long Sighs,
    long Laughs,
    long Crying,
    long Transfers)
{
    /// <summary>Sighs per ended call.</summary>
    public double SighsPerCall => CallsEnded > 0 ? (double)Sighs / CallsEnded : 0;

    /// <summary>Laughs per ended call.</summary>
    public double LaughsPerCall => CallsEnded > 0 ? (double)Laughs / CallsEnded : 0;

    /// <summary>The row in the shape of <c>/api/aggregates</c>.</summary>
    public AggregateRow ToAggregateRow()
    {
        var minutes = DurationSeconds / 60;
        return new AggregateRow(
            Flow, Bucket, CallsStarted, CallsEnded, Outcomes, MeanPeakFrustration, PeakFrustration,
            CallsEnded > 0 ? DurationSeconds / CallsEnded : 0, Sighs, Laughs, SighsPerCall, LaughsPerCall,
            minutes > 0 ? Sighs / minutes : 0, minutes > 0 ? Laughs / minutes : 0, Transfers);
    }
}
