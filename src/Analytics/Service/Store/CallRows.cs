using System.Data.Common;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>Maps <see cref="CallSummary"/> to and from a row of <c>calls</c> (columns as in <see cref="StoreSchema.CallColumns"/>).</summary>
internal static class CallRows
{
    public static string SelectList { get; } = string.Join(", ", StoreSchema.CallColumns);

    public static string UpsertSql { get; } =
        $"INSERT INTO calls ({SelectList}) VALUES ({string.Join(", ", StoreSchema.CallColumns.Select(c => "@" + c))}) "
        + "ON CONFLICT (call_id) DO UPDATE SET "
        + string.Join(", ", StoreSchema.CallColumns.Skip(1).Select(c => $"{c} = excluded.{c}"));

    /// <summary>The parameters of <see cref="UpsertSql"/> for <paramref name="call"/>.</summary>
    public static (string Name, object? Value)[] Parameters(CallSummary call)
    {
        object?[] values =
        [
            call.CallId, call.Flow, call.Caller, call.StartedAt.ToUnixTimeMilliseconds(), call.StartSeen ? 1 : 0,
            call.EndedAt?.ToUnixTimeMilliseconds(), call.DurationSeconds, call.Outcome, call.HungUpBy, call.PeakFrustration,
            call.Sighs, call.Laughs, call.Crying, call.Turns,
            .. Vocabulary.Emotions.Select(l => (object?)call.Emotions.GetValueOrDefault(l)),
            call.DominantEmotion, call.Transfers, call.Keys, call.Events, call.LastEventAt.ToUnixTimeMilliseconds(),
        ];
        return [.. values.Select((value, i) => (StoreSchema.CallColumns[i], value))];
    }

    public static CallSummary Read(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var emotions = new Dictionary<string, int>(StringComparer.Ordinal);
        const int firstEmotion = 14;
        for (var i = 0; i < Vocabulary.Emotions.Count; i++)
        {
            var turns = Convert.ToInt32(row.GetValue(firstEmotion + i), System.Globalization.CultureInfo.InvariantCulture);
            if (turns > 0)
            {
                emotions[Vocabulary.Emotions[i]] = turns;
            }
        }

        var next = firstEmotion + Vocabulary.Emotions.Count;
        return new CallSummary(
            row.GetString(0),
            row.GetString(1),
            row.GetString(2),
            Instant(row, 3),
            Int(row, 4) != 0,
            row.IsDBNull(5) ? null : Instant(row, 5),
            row.GetDouble(6),
            row.GetString(7),
            row.IsDBNull(8) ? null : row.GetString(8),
            row.GetDouble(9),
            Int(row, 10),
            Int(row, 11),
            Int(row, 12),
            Int(row, 13),
            emotions,
            row.IsDBNull(next) ? null : row.GetString(next),
            Int(row, next + 1),
            Int(row, next + 2),
            Int(row, next + 3),
            Instant(row, next + 4));
    }

    private static int Int(DbDataReader row, int ordinal) =>
        Convert.ToInt32(row.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(DbDataReader row, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(row.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture));
}
