using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Routing;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Routing;

public sealed class FlowCatalogTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FlowDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private FlowCatalog Open(bool watch = true) => new(
        new FlowCatalogOptions { Directory = _dir.Path, Watch = watch, ReloadDebounce = TimeSpan.FromMilliseconds(50) },
        NullLogger<FlowCatalog>.Instance,
        TimeProvider.System);

    private static string Text(FlowDefinition flow) => ((SayStep)flow.Steps["a"]).Text.Source;

    [Fact]
    public void An_invalid_directory_refuses_to_open_and_lists_every_error()
    {
        _dir.Write("a.yaml", "flow: a\nstart: x\nsteps:\n  a: { say: hi, next: b }\n");
        var ex = Assert.Throws<FlowValidationException>(() => Open());
        Assert.Equal(2, ex.Errors.Count);
        Assert.Contains("a.yaml:2:8: start: no step named 'x'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a.yaml:4:23: steps.a.next: no step named 'b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_change_on_disk_replaces_the_set_and_running_calls_keep_theirs()
    {
        _dir.Write("main.yaml", FlowDirectory.Flow("main", "one"));
        using var catalog = Open();
        var before = catalog.Current.Flows["main"];
        FlowSetReloadedEventArgs? reloaded = null;
        catalog.Reloaded += (_, e) => reloaded = e;

        _dir.Write("main.yaml", FlowDirectory.Flow("main", "two"));

        await Eventually.TrueAsync(() => reloaded is not null, Bound);
        Assert.Equal("two", Text(catalog.Current.Flows["main"]));
        Assert.NotEqual(before.Version, catalog.Current.Flows["main"].Version);
        Assert.Same(before, reloaded!.Previous.Flows["main"]);
        Assert.Equal("one", Text(before));
    }

    [Fact]
    public async Task An_invalid_change_is_rejected_with_errors_and_the_old_set_stays()
    {
        _dir.Write("main.yaml", FlowDirectory.Flow("main", "one"));
        using var catalog = Open();
        var before = catalog.Current;
        FlowReloadRejectedEventArgs? rejected = null;
        catalog.ReloadRejected += (_, e) => rejected = e;

        _dir.Write("main.yaml", "flow: main\nstart: a\nsteps:\n  a:\n    say: hi\n    next: gone\n");

        await Eventually.TrueAsync(() => rejected is not null, Bound);
        var error = Assert.Single(rejected!.Errors);
        Assert.Equal((6, 11, "steps.a.next"), (error.Line, error.Column, error.Field));
        Assert.Same(before, catalog.Current);
    }

    [Fact]
    public async Task A_new_flow_file_with_routes_is_picked_up()
    {
        _dir.Write("main.yaml", FlowDirectory.Flow("main"));
        using var catalog = Open();

        // Written in one go (routes last) so every reload sees either one flow or two flows with routes.
        _dir.Write("routes.yaml", "default: main\n");
        _dir.Write("extra.yaml", FlowDirectory.Flow("extra"));

        await Eventually.TrueAsync(() => catalog.Current.Flows.ContainsKey("extra"), Bound);
    }

    [Fact]
    public void Reload_without_a_change_keeps_the_same_set()
    {
        _dir.Write("main.yaml", FlowDirectory.Flow("main"));
        using var catalog = Open(watch: false);
        var before = catalog.Current;
        Assert.False(catalog.Reload());
        Assert.Same(before, catalog.Current);

        _dir.Write("main.yaml", FlowDirectory.Flow("main", "changed"));
        Assert.True(catalog.Reload());
        Assert.NotSame(before, catalog.Current);
    }

    [Fact]
    public void Reloads_are_counted_by_result()
    {
        _dir.Write("main.yaml", FlowDirectory.Flow("main"));
        using var catalog = Open(watch: false);
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, catalog.Meter) && instrument.Name == "stepaudio.callflow.reloads")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var result = (string)tags[0].Value!;
            counts[result] = counts.GetValueOrDefault(result) + value;
        });
        listener.Start();

        _dir.Write("main.yaml", FlowDirectory.Flow("main", "changed"));
        catalog.Reload();
        _dir.Write("main.yaml", "flow: main\n");
        catalog.Reload();
        catalog.Reload();

        Assert.Equal(1, counts.GetValueOrDefault("applied"));
        Assert.Equal(2, counts.GetValueOrDefault("rejected"));
    }

    [Fact]
    public async Task A_throwing_subscriber_does_not_stop_later_reloads()
    {
        _dir.Write("main.yaml", FlowDirectory.Flow("main", "one"));
        using var catalog = Open();
        var calls = 0;
        catalog.Reloaded += (_, _) =>
        {
            calls++;
            throw new InvalidOperationException("subscriber bug");
        };

        _dir.Write("main.yaml", FlowDirectory.Flow("main", "two"));
        await Eventually.TrueAsync(() => calls == 1, Bound);
        _dir.Write("main.yaml", FlowDirectory.Flow("main", "three"));
        await Eventually.TrueAsync(() => Text(catalog.Current.Flows["main"]) == "three", Bound);
    }

    [Fact]
    public void The_configured_time_zone_is_resolved_and_an_unknown_one_refuses_to_start()
    {
        _dir.Write("main.yaml", FlowDirectory.Flow("main"));
        using (var catalog = new FlowCatalog(new FlowCatalogOptions { Directory = _dir.Path, Watch = false, TimeZone = "Europe/Berlin" }, NullLogger<FlowCatalog>.Instance, TimeProvider.System))
        {
            Assert.Equal("Europe/Berlin", catalog.TimeZone.Id);
        }

        var ex = Assert.Throws<FlowValidationException>(() => new FlowCatalog(
            new FlowCatalogOptions { Directory = _dir.Path, Watch = false, TimeZone = "Mars/Olympus" }, NullLogger<FlowCatalog>.Instance, TimeProvider.System));
        Assert.Equal("CallFlow:TimeZone", Assert.Single(ex.Errors).Field);
    }
}
