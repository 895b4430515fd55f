using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Expressions;

public sealed class FlowScheduleTests
{
    // 2026-11-23 is a Monday.
    [Theory]
    [InlineData("mon-fri 09:00-17:00", "2026-11-23 09:00", true)]
    [InlineData("mon-fri 09:00-17:00", "2026-11-23 17:00", false)]
    [InlineData("mon-fri 09:00-17:00", "2026-11-23 08:59", false)]
    [InlineData("mon-fri 09:00-17:00, sat 10:00-14:00", "2026-11-28 11:00", true)]
    [InlineData("mon-fri 09:00-17:00, sat 10:00-14:00", "2026-11-29 11:00", false)]
    [InlineData("daily 08:00-20:00", "2026-11-29 19:59", true)]
    [InlineData("22:00-06:00", "2026-11-23 23:30", true)]
    [InlineData("22:00-06:00", "2026-11-23 05:59", true)]
    [InlineData("22:00-06:00", "2026-11-23 06:00", false)]
    [InlineData("fri 22:00-06:00", "2026-11-28 03:00", true)]
    [InlineData("fri 22:00-06:00", "2026-11-27 03:00", false)]
    [InlineData("sat-sun 00:00-24:00", "2026-11-29 23:59", true)]
    [InlineData("fri-mon 12:00-13:00", "2026-11-23 12:30", true)]
    public void Is_open_inside_the_hours(string schedule, string localTime, bool open)
    {
        Assert.True(FlowSchedule.TryParse(schedule, out var parsed, out var error), error);
        Assert.Equal(open, parsed!.IsOpen(DateTime.Parse(localTime, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("weekdays 09:00-17:00", "expected days")]
    [InlineData("mon 9-17", "expected a time range")]
    [InlineData("mon 09:00-25:00", "expected a time range")]
    [InlineData("mon 09:00-09:00", "expected a time range")]
    [InlineData("mon fri 09:00-17:00", "expected entries")]
    [InlineData("", "expected entries")]
    public void Rejects_malformed_schedules(string schedule, string message)
    {
        Assert.False(FlowSchedule.TryParse(schedule, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_uses_the_named_time_zone()
    {
        // 08:30 UTC is 09:30 in Berlin (CET, UTC+1 in November).
        var scope = new TestScope([], new DateTimeOffset(2026, 11, 23, 8, 30, 0, TimeSpan.Zero));
        Assert.False(FlowExpressionParser.Parse("open(\"mon-fri 09:00-17:00\")").IsTrue(scope));
        Assert.True(FlowExpressionParser.Parse("open(\"mon-fri 09:00-17:00\", \"Europe/Berlin\")").IsTrue(scope));
    }

    [Fact]
    public void Open_uses_the_scope_time_zone_by_default()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var scope = new TestScope(new Dictionary<string, JsonNode?>(), new DateTimeOffset(2026, 11, 23, 8, 30, 0, TimeSpan.Zero), berlin);
        Assert.True(FlowExpressionParser.Parse("open(\"mon-fri 09:00-17:00\")").IsTrue(scope));
    }
}
