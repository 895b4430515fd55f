using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// The user agent's timers run on the clock it is given: with a manual clock, final-response retransmission (Timer G)
/// and the reliable 183's PRACK timeout (RFC 3262 §3) happen when the test moves the clock, not when wall time passes.
/// </summary>
public sealed class UserAgentClockTests
{
    private readonly ManualTimeProvider _time = new();

    private async Task<SipUserAgentServer> StartAsync(TestCallHandler handler, TimeSpan t1)
    {
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = t1, T2 = t1 * 8 };
        return await TestUserAgent.StartAsync(handler, options, time: _time);
    }

    /// <summary>Moves the clock a step at a time until a response <paramref name="match"/> accepts arrives.</summary>
    private async Task<SipResponse> AdvanceUntilAsync(SipTestCaller caller, TimeSpan step, Func<SipResponse, bool> match, int maxSteps = 200)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            _time.Advance(step);
            try
            {
                while (true)
                {
                    var response = await caller.ReceiveResponseAsync(100);
                    if (match(response))
                    {
                        return response;
                    }
                }
            }
            catch (TimeoutException)
            {
            }
        }

        throw new TimeoutException($"no matching response after {_time.Now} of manual time");
    }

    [Fact]
    public async Task A_final_response_is_retransmitted_only_when_the_injected_clock_moves()
    {
        // T1 = 20 ms: on the wall clock Timer G would resend within the silence below.
        var handler = new TestCallHandler((_, _) => Task.FromResult(MediaAcceptance.Reject(486, "Busy Here")));
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(20));
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite());
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
        var busy = await caller.ReceiveResponseAsync();
        Assert.Equal(486, busy.StatusCode);
        await caller.ExpectSilenceAsync(300);

        var copy = await AdvanceUntilAsync(caller, TimeSpan.FromMilliseconds(20), r => r.StatusCode == 486);
        Assert.Equal(busy.To!.Tag, copy.To!.Tag);

        // The ACK ends Timer G: however far the clock moves now, nothing more is sent.
        await caller.SendAsync(caller.Request("ACK", caller.InviteBranch, 1, busy.To.Tag));
        await Task.Delay(100);
        while (true)
        {
            try
            {
                await caller.ReceiveResponseAsync(100);
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        await caller.ExpectSilenceAsync(300);
    }

    [Fact]
    public async Task A_reliable_183_never_acknowledged_ends_the_invite_with_504_after_64_t1_of_the_injected_clock()
    {
        // RFC 3261's default T1 (500 ms): 64*T1 is 32 s of manual time, moved in one-second steps.
        var handler = new TestCallHandler(async (call, ct) =>
        {
            call.EarlyMedia!.Start(TestCallHandler.LocalRtp);
            await Task.Delay(Timeout.InfiniteTimeSpan, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return MediaAcceptance.Accept(TestCallHandler.LocalRtp);
        });
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(500));
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(extraHeaders: "Require: 100rel\r\n"));
        var progress = await AdvanceUntilAsync(caller, TimeSpan.Zero, r => r.StatusCode == 183, maxSteps: 50);
        Assert.NotNull(progress.Headers.GetFirst(SipHeaderId.RSeq));

        var final = await AdvanceUntilAsync(caller, TimeSpan.FromSeconds(1), r => r.StatusCode >= 200);

        Assert.Equal(504, final.StatusCode);
        Assert.InRange(_time.Now, TimeSpan.FromSeconds(32), TimeSpan.FromSeconds(34));
        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal((call.DialogId, CallTermination.Gateway, CallTermination.ReasonPrackTimeout), await TestCallHandler.NextAsync(handler.Terminated));
    }
}
