namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>
/// What happened to the calls of one flow that started in one UTC hour. Averages and rates are over the calls
/// that ended (only an ended call has a duration, an outcome and its final vocal event counts); 0 when none has.
/// </summary>
/// <param name="Flow">The flow's name; <c>(none)</c> for calls without a flow.</param>
/// <param name="Hour">Start of the UTC hour the calls started in.</param>
/// <param name="CallsStarted">CallStarted events applied.</param>
/// <param name="CallsEnded">CallEnded events applied.</param>
/// <param name="Outcomes">Ended calls per outcome.</param>
/// <param name="MeanPeakFrustration">Mean over ended calls of each call's peak frustration (0–1).</param>
/// <param name="PeakFrustration">Highest peak frustration of any ended call (0–1).</param>
/// <param name="MeanDurationSeconds">Mean duration of the ended calls.</param>
/// <param name="Sighs">Sighs in ended calls (from CallEnded's vocal event counts).</param>
/// <param name="Laughs">Laughs in ended calls (same source).</param>
/// <param name="SighsPerCall">Sighs per ended call.</param>
/// <param name="LaughsPerCall">Laughs per ended call.</param>
/// <param name="SighsPerMinute">Sighs per minute of call time of the ended calls.</param>
/// <param name="LaughsPerMinute">Laughs per minute of call time.</param>
/// <param name="Transfers">CallTransferred events applied.</param>
public sealed record AggregateRow(
    string Flow,
    DateTimeOffset Hour,
    long CallsStarted,
    long CallsEnded,
    OutcomeCounts Outcomes,
    double MeanPeakFrustration,
    double PeakFrustration,
    double MeanDurationSeconds,
    long Sighs,
    long Laughs,
    double SighsPerCall,
    double LaughsPerCall,
    double SighsPerMinute,
    double LaughsPerMinute,
    long Transfers);
