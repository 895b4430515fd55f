using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Calls.Admission;
using StepAudio.Telephony.SipGateway.Hosting.Health;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Calls.Admission;

/// <summary>
/// Admission through the real user agent on loopback: while the overload guard says so, or at Calls:MaxConcurrentCalls,
/// a new INVITE (and an OPTIONS probe) gets 503 Service Unavailable with Retry-After (RFC 3261 §21.5.4) and is counted
/// by reason, while the call in progress is served as before; /readyz says why. The guard runs on a manual clock. All
/// tests that count refusals are in this class, so no other test adds to the counter while one reads it.
/// </summary>
public sealed class CallAdmissionTests
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider _time = new();

    private static SipAvailability AvailabilityOf(CallAdmission admission) =>
        new(admission.Refusal, admission.MaxConcurrentCalls, admission.Full, admission.OnRefused);

    private OverloadGuard Guard() => new(new AdmissionOptions { RetryAfter = RetryAfter }, _time, NullLogger<OverloadGuard>.Instance);

    /// <summary>Samples with 100 more windows skipped each second until the guard gives in; returns the skip counter.</summary>
    private long DriveIntoOverload(OverloadGuard guard)
    {
        long skipped = 0;
        guard.Observe(skipped, 0);
        while (!guard.IsOverloaded)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            guard.Observe(skipped += 100, 0);
        }

        return skipped;
    }

    private static async Task<SipResponse> OptionsAsync(SipTestCaller caller, int cseq)
    {
        await caller.SendAsync(caller.Request("OPTIONS", "z9hG4bK-probe-" + cseq, cseq, toTag: null));
        return await InDialogRequestTests.ResponseForAsync(caller, cseq);
    }

    [Fact]
    public async Task During_overload_a_new_INVITE_gets_503_with_Retry_After_and_the_call_in_progress_is_untouched()
    {
        using var refusals = new RefusalRecorder();
        var guard = Guard();
        var admission = new CallAdmission(guard, maxConcurrentCalls: 0, RetryAfter);
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);
        server.Availability = AvailabilityOf(admission);
        using var inProgress = new SipTestCaller(server.LocalEndPoint);
        var (toTag, dialogId) = await InDialogRequestTests.EstablishAsync(inProgress);

        var skippedSoFar = DriveIntoOverload(guard);
        using var newcomer = new SipTestCaller(server.LocalEndPoint);
        await newcomer.SendAsync(newcomer.Invite());
        var refused = await newcomer.ReceiveFinalResponseAsync();
        Assert.Equal((503, "10"), (refused.StatusCode, refused.Headers.GetFirst(SipHeaderId.RetryAfter)));
        var probe = await OptionsAsync(newcomer, 2);
        Assert.Equal((503, "10"), (probe.StatusCode, probe.Headers.GetFirst(SipHeaderId.RetryAfter)));

        // The call in progress: its in-dialog requests are served and nothing ended it.
        await inProgress.SendAsync(inProgress.Request("UPDATE", "z9hG4bK-u2", 2, toTag));
        Assert.Equal(200, (await InDialogRequestTests.ResponseForAsync(inProgress, 2)).StatusCode);
        Assert.Equal(1, server.ActiveDialogCount);
        Assert.False(handler.Terminated.Reader.TryRead(out _));
        var readiness = new GatewayReadiness(admission: admission).Check();
        Assert.False(readiness.Ready);
        Assert.Contains(readiness.Checks, c => c is { Name: "overload", Ok: false } && c.Detail.StartsWith("overloaded since", StringComparison.Ordinal));

        // Ten clean seconds later new calls are taken again; the call in progress ends when its caller hangs up.
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            guard.Observe(skippedSoFar, 0); // nothing more skipped
        }

        Assert.False(guard.IsOverloaded);
        using var later = new SipTestCaller(server.LocalEndPoint);
        await later.SendAsync(later.Invite());
        Assert.Equal(200, (await later.ReceiveFinalResponseAsync()).StatusCode);
        await inProgress.SendAsync(inProgress.Request("BYE", "z9hG4bK-bye", 3, toTag));
        Assert.Equal(200, (await InDialogRequestTests.ResponseForAsync(inProgress, 3)).StatusCode);
        var ended = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal((dialogId, CallTermination.Caller), (ended.DialogId, ended.EndedBy));
        Assert.Equal(["overload"], refusals.Reasons); // the INVITE only: an OPTIONS probe is not a call
    }

    [Fact]
    public async Task At_MaxConcurrentCalls_a_new_INVITE_gets_503_and_one_ending_makes_room()
    {
        using var refusals = new RefusalRecorder();
        var admission = new CallAdmission(guard: null, maxConcurrentCalls: 1, RetryAfter);
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);
        admission.CountCallsWith(() => server.ActiveDialogCount);
        server.Availability = AvailabilityOf(admission);
        using var first = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await InDialogRequestTests.EstablishAsync(first);

        using var second = new SipTestCaller(server.LocalEndPoint);
        await second.SendAsync(second.Invite());
        var full = await second.ReceiveFinalResponseAsync();
        Assert.Equal((503, "10"), (full.StatusCode, full.Headers.GetFirst(SipHeaderId.RetryAfter)));
        var readiness = new GatewayReadiness(admission: admission).Check();
        Assert.Contains(readiness.Checks, c => c is { Name: "capacity", Ok: false, Detail: "1 of 1 calls (Calls:MaxConcurrentCalls)" });
        Assert.Contains(readiness.Checks, c => c is { Name: "overload", Ok: true });

        await first.SendAsync(first.Request("BYE", "z9hG4bK-bye", 2, toTag));
        Assert.Equal(200, (await InDialogRequestTests.ResponseForAsync(first, 2)).StatusCode);
        using var third = new SipTestCaller(server.LocalEndPoint);
        await third.SendAsync(third.Invite());
        Assert.Equal(200, (await third.ReceiveFinalResponseAsync()).StatusCode);
        Assert.Equal(["capacity"], refusals.Reasons);
    }

    [Fact]
    public async Task Sipp_as_the_trunk_is_refused_with_503_and_Retry_After_and_counted_as_an_overload()
    {
        using var refusals = new RefusalRecorder();
        var guard = Guard();
        await using var server = await TestUserAgent.StartAsync(new TestCallHandler());
        server.Availability = AvailabilityOf(new CallAdmission(guard, maxConcurrentCalls: 0, RetryAfter));
        DriveIntoOverload(guard);

        // The real sipp exits 0 only when the INVITE got 503 with a numeric Retry-After and its ACK went out.
        await SippScenario.RunAsync("uac_refused_503.xml", server.LocalEndPoint);
        Assert.Equal(["overload"], refusals.Reasons);
        Assert.Equal(0, server.ActiveDialogCount);
    }

    [Fact]
    public void The_cap_holds_exactly_under_a_burst_because_the_user_agent_counts_under_its_lock()
    {
        // Refusal() is the cheap early answer; the exact bound is SipAvailability.MaxCalls, checked by the user agent.
        var admission = new CallAdmission(guard: null, maxConcurrentCalls: 3, RetryAfter);
        var calls = 2;
        admission.CountCallsWith(() => calls);
        var availability = AvailabilityOf(admission);
        Assert.Null(availability.Refusal);
        Assert.Equal(3, availability.MaxCalls);
        calls = 3;
        Assert.Equal("capacity", availability.Refusal?.Reason);
        Assert.Equal("10", availability.Full.RetryAfter);
    }

    [Fact]
    public void At_the_capacity_projected_from_the_busy_share_new_calls_are_refused_as_overload_and_readyz_says_so()
    {
        var guard = Guard();
        var admission = new CallAdmission(guard, maxConcurrentCalls: 0, RetryAfter);
        var calls = 400;
        admission.CountCallsWith(() => calls); // the guard reads the same count at each sample
        guard.Observe(0, 0, TimeSpan.Zero, threads: 2);
        _time.Advance(TimeSpan.FromSeconds(1));
        guard.Observe(0, 0, TimeSpan.FromSeconds(1.2), threads: 2); // 400 calls, 60 % busy: 500 fit

        Assert.False(guard.IsOverloaded);
        Assert.Null(admission.Refusal());
        Assert.True(Assert.Single(admission.Checks()).Ok);

        calls = 500;
        Assert.Equal("overload", admission.Refusal()?.Reason);
        var check = Assert.Single(admission.Checks());
        Assert.False(check.Ok);
        Assert.Contains("projected", check.Detail, StringComparison.Ordinal);
    }

    /// <summary>Reasons of stepaudio.calls.refused measurements taken while it lives.</summary>
    private sealed class RefusalRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<string> _reasons = new();

        public RefusalRecorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "stepaudio.calls.refused")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "reason")
                    {
                        _reasons.Enqueue((string)tag.Value!);
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string> Reasons => [.. _reasons];

        public void Dispose() => _listener.Dispose();
    }
}
