namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>One aggregate row's identity: a flow and the UTC hour its calls started in.</summary>
/// <param name="Flow">The flow's name, or <see cref="NoFlow"/>.</param>
/// <param name="Hour">Start of the UTC hour.</param>
internal readonly record struct BucketKey(string Flow, DateTimeOffset Hour)
{
    /// <summary>The row of calls that ran no flow.</summary>
    public const string NoFlow = "(none)";

    public static BucketKey For(string? flow, DateTimeOffset callStart) =>
        new(string.IsNullOrEmpty(flow) ? NoFlow : flow, HourOf(callStart));

    public static DateTimeOffset HourOf(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
