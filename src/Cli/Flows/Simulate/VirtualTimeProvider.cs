namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// The simulated call's clock: wall-clock time is the answer time (<c>--at</c>) plus the call's virtual time, so
/// <c>open(...)</c> conditions see the hour the caller would have called at and events carry the times they describe;
/// timestamps count virtual time, so the engine's call clock runs on frames fed, not on the machine's clock.
/// </summary>
internal sealed class VirtualTimeProvider(DateTimeOffset answeredAt, Func<TimeSpan> callTime, TimeZoneInfo zone) : TimeProvider
{
    public override TimeZoneInfo LocalTimeZone => zone;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => (answeredAt + callTime()).ToUniversalTime();

    // One tick past the virtual time, so that the call's start is a timestamp other than zero (zero means "not yet").
    public override long GetTimestamp() => callTime().Ticks + 1;
}
