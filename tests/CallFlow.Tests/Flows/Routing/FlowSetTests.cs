using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Routing;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Tests.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Routing;

public sealed class FlowSetTests : IDisposable
{
    // Monday 2026-11-23.
    private static readonly TestScope Daytime = new([], new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private static readonly TestScope Night = new([], new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero));
    private readonly FlowDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private FlowSet Load()
    {
        foreach (var name in new[] { "support", "sales", "after-hours", "carrier" })
        {
            _dir.Write($"{name}.yaml", FlowDirectory.Flow(name));
        }

        _dir.Write("routes.yaml", """
            routes:
              - did: "+1 555-0100"
                flow: support
                when: not open("mon-fri 08:00-18:00")
                use: after-hours
              - did: "+1555011*"
                flow: sales
              - trunk: carrier-a
                flow: carrier
              - did: "4242"
                trunk: carrier-b
                flow: sales
            default: support
            """);
        var result = FlowSetLoader.LoadDirectory(_dir.Path);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Set!;
    }

    private static CallInfo Call(string called, string? trunk = null) => new("c1", "alice", called, trunk);

    [Theory]
    [InlineData("+15550100", null, "support")]
    [InlineData("sip:+15550100@gw.example.com;user=phone", null, "support")]
    [InlineData("15550100", null, "support")]
    [InlineData("+15550112", null, "sales")]
    [InlineData("sip:15550119@gw", "carrier-a", "sales")]
    [InlineData("+15559999", "carrier-a", "carrier")]
    [InlineData("+15559999", "CARRIER-A", "carrier")]
    [InlineData("4242", "carrier-b", "sales")]
    [InlineData("4242", "carrier-c", "support")]
    [InlineData("+15559999", null, "support")]
    public void Routes_match_in_order_then_default(string called, string? trunk, string flow) =>
        Assert.Equal(flow, Load().Select(Call(called, trunk), Daytime).Name);

    [Fact]
    public void When_and_use_pick_the_alternative_while_the_condition_holds()
    {
        var set = Load();
        Assert.Equal("support", set.Select(Call("+15550100"), Daytime).Name);
        Assert.Equal("after-hours", set.Select(Call("+15550100"), Night).Name);
    }

    [Fact]
    public void When_without_use_skips_the_route_when_false()
    {
        _dir.Write("a.yaml", FlowDirectory.Flow("a"));
        _dir.Write("b.yaml", FlowDirectory.Flow("b"));
        _dir.Write("routes.yaml", "routes:\n  - did: \"100\"\n    flow: a\n    when: frustration > 0.5\ndefault: b\n");
        var set = FlowSetLoader.LoadDirectory(_dir.Path).Set!;
        var calm = new TestScope(new Dictionary<string, JsonNode?> { ["frustration"] = JsonValue.Create(0.1) }, DateTimeOffset.UnixEpoch);
        var angry = new TestScope(new Dictionary<string, JsonNode?> { ["frustration"] = JsonValue.Create(0.9) }, DateTimeOffset.UnixEpoch);
        Assert.Equal("b", set.Select(Call("100"), calm).Name);
        Assert.Equal("a", set.Select(Call("100"), angry).Name);
    }

    [Fact]
    public void A_single_flow_without_routes_is_the_default()
    {
        _dir.Write("only.yaml", FlowDirectory.Flow("only"));
        var result = FlowSetLoader.LoadDirectory(_dir.Path);
        Assert.Equal("only", result.Set!.Select(Call("123"), Daytime).Name);
    }

    [Fact]
    public void Several_flows_without_routes_is_an_error()
    {
        _dir.Write("a.yaml", FlowDirectory.Flow("a"));
        _dir.Write("b.yaml", FlowDirectory.Flow("b"));
        var error = Assert.Single(FlowSetLoader.LoadDirectory(_dir.Path).Errors);
        Assert.Contains("missing routes.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_to_unknown_flows_are_errors_with_position()
    {
        _dir.Write("support.yaml", FlowDirectory.Flow("support"));
        var routes = _dir.Write("routes.yaml", "routes:\n  - did: \"1\"\n    flow: suport\ndefault: nobody\n");
        var result = FlowSetLoader.LoadDirectory(_dir.Path);
        Assert.False(result.IsValid);
        Assert.Collection(
            result.Errors,
            e => Assert.Equal((routes, 3, 11, "routes[0].flow", true), (e.File, e.Line, e.Column, e.Field, e.Message.Contains("(did you mean 'support'?)", StringComparison.Ordinal))),
            e => Assert.Equal((routes, 4, 10, "default"), (e.File, e.Line, e.Column, e.Field)));
    }

    [Fact]
    public void Errors_from_every_file_are_collected()
    {
        _dir.Write("a.yaml", "flow: a\nstart: nowhere\nsteps:\n  s: { say: hi }\n");
        _dir.Write("b.yaml", "flow: b\n");
        _dir.Write("routes.yaml", "default: a\nroutes:\n  - flow: a\n");
        var result = FlowSetLoader.LoadDirectory(_dir.Path);
        var files = result.Errors.Select(e => System.IO.Path.GetFileName(e.File)).Distinct().ToList();
        Assert.Equal(["a.yaml", "b.yaml", "routes.yaml"], files);
        Assert.Contains(result.Errors, e => e.Message.Contains("a route needs did or trunk", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_flow_names_are_an_error()
    {
        _dir.Write("a.yaml", FlowDirectory.Flow("same"));
        _dir.Write("b.yaml", FlowDirectory.Flow("same"));
        var error = Assert.Single(FlowSetLoader.LoadDirectory(_dir.Path).Errors);
        Assert.Contains("already used", error.Message, StringComparison.Ordinal);
    }
}
