namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// Wall-clock time of the simulated call: the answer time (<c>--at</c>) plus the call's virtual clock, so
/// <c>open(...)</c> conditions see the hour the caller would have called at.
/// </summary>
internal sealed class VirtualTimeProvider(DateTimeOffset answeredAt, Func<TimeSpan> callTime, TimeZoneInfo zone) : TimeProvider
{
    public override TimeZoneInfo LocalTimeZone => zone;

    public override DateTimeOffset GetUtcNow() => (answeredAt + callTime()).ToUniversalTime();
}
