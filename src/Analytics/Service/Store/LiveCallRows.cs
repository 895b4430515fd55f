using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using StepAudio.Telephony.Analytics.Service.Aggregates;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>
/// The columns of <c>calls</c> that serve the active-call list: the <see cref="LiveCallState"/> of each call and
/// <c>received_at</c>, when a service instance last wrote the call (on the service's clock, not the gateway's, so a
/// gateway's clock skew cannot make calls look stale). Added to existing databases by <see cref="StoreSchema"/>.
/// </summary>
internal static class LiveCallRows
{
    /// <summary>Column definitions; each has a default so that it can be added to a table that already has rows.</summary>
    public static IReadOnlyList<(string Name, string Definition)> Columns(IStoreDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return
        [
            ("received_at", "BIGINT NOT NULL DEFAULT 0"),
            ("live_emotion", "TEXT NULL"),
            ("live_emotion_confidence", $"{dialect.DoubleType} NOT NULL DEFAULT 0"),
            ("live_frustration", $"{dialect.DoubleType} NOT NULL DEFAULT 0"),
            ("live_frustration_level", "TEXT NULL"),
            ("vocal_events", "TEXT NOT NULL DEFAULT '{}'"),
        ];
    }

    public const string UpdateSql =
        "UPDATE calls SET received_at = @received_at, live_emotion = @live_emotion, live_emotion_confidence = @live_emotion_confidence, "
        + "live_frustration = @live_frustration, live_frustration_level = @live_frustration_level, vocal_events = @vocal_events "
        + "WHERE call_id = @call_id";

    /// <summary>
    /// Calls without a stored CallEnded that some instance wrote since <c>@since</c>: the calls in progress, whichever
    /// instance consumed their events. A call whose CallEnded was lost drops out once nothing is written for it.
    /// </summary>
    public const string ActiveSql =
        "SELECT call_id, flow, caller, started_at, live_emotion, live_emotion_confidence, live_frustration, live_frustration_level, "
        + "vocal_events, last_event_at FROM calls WHERE received_at >= @since AND ended_at IS NULL ORDER BY started_at, call_id";

    public static (string Name, object? Value)[] Parameters(string callId, LiveCallState state, long receivedAt)
    {
        ArgumentNullException.ThrowIfNull(state);
        return
        [
            ("received_at", receivedAt), ("live_emotion", state.Emotion), ("live_emotion_confidence", state.EmotionConfidence),
            ("live_frustration", state.Frustration), ("live_frustration_level", state.FrustrationLevel),
            ("vocal_events", JsonSerializer.Serialize(state.VocalEvents)), ("call_id", callId),
        ];
    }

    public static ActiveCallView Read(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Dictionary<string, int> vocal;
        try
        {
            vocal = JsonSerializer.Deserialize<Dictionary<string, int>>(row.GetString(8)) ?? [];
        }
        catch (JsonException)
        {
            vocal = [];
        }

        return new ActiveCallView(
            row.GetString(0),
            row.GetString(1),
            row.GetString(2),
            Instant(row, 3),
            row.IsDBNull(4) ? null : row.GetString(4),
            Convert.ToDouble(row.GetValue(5), CultureInfo.InvariantCulture),
            Convert.ToDouble(row.GetValue(6), CultureInfo.InvariantCulture),
            row.IsDBNull(7) ? null : row.GetString(7),
            vocal,
            Instant(row, 9));
    }

    private static DateTimeOffset Instant(DbDataReader row, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(row.GetValue(ordinal), CultureInfo.InvariantCulture));
}
