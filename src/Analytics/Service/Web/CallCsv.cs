using System.Globalization;
using System.Text;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Web;

/// <summary>The call list as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break).</summary>
internal static class CallCsv
{
    private static readonly string[] Header =
    [
        "call_id", "flow", "caller", "started_at", "ended_at", "duration_s", "outcome", "hung_up_by", "peak_frustration",
        "dominant_emotion", "turns", "sighs", "laughs", "crying", "transfers", "keys", "events",
    ];

    public static byte[] Write(IEnumerable<CallSummary> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var csv = new StringBuilder();
        Line(csv, Header);
        foreach (var c in calls)
        {
            Line(csv,
            [
                c.CallId, c.Flow, c.Caller, c.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                c.EndedAt?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
                c.DurationSeconds.ToString("0.###", CultureInfo.InvariantCulture), c.Outcome, c.HungUpBy ?? string.Empty,
                c.PeakFrustration.ToString("0.###", CultureInfo.InvariantCulture), c.DominantEmotion ?? string.Empty,
                Number(c.Turns), Number(c.Sighs), Number(c.Laughs), Number(c.Crying), Number(c.Transfers), Number(c.Keys),
                Number(c.Events),
            ]);
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder csv, string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var field = fields[i];
            // A leading =, +, - or @ would be run as a formula by spreadsheets (CSV injection): quote and prefix it.
            if (field.Length > 0 && "=+-@".Contains(field[0], StringComparison.Ordinal))
            {
                field = "'" + field;
            }

            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || field.StartsWith('\''))
            {
                csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(field);
            }
        }

        csv.Append("\r\n");
    }
}
