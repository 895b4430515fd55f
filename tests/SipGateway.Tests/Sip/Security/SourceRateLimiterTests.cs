using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Tests.Rtp;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

public sealed class SourceRateLimiterTests
{
    private static readonly SourceAddress A = SourceAddress.From(IPAddress.Parse("192.0.2.1"));
    private static readonly SourceAddress B = SourceAddress.From(IPAddress.Parse("192.0.2.2"));
    private static readonly SourceAddress C = SourceAddress.From(IPAddress.Parse("2001:db8::3"));

    private static int Admitted(SourceRateLimiter limiter, SourceAddress source, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => limiter.TryAcquire(source));

    [Fact]
    public void A_burst_beyond_the_bucket_is_refused_and_counted()
    {
        var limiter = new SourceRateLimiter(requestsPerSecond: 5, burst: 10, capacity: 16, new ManualTimeProvider());

        Assert.Equal(10, Admitted(limiter, A, 25));
        Assert.Equal(15, limiter.LimitedCount);
    }

    [Fact]
    public void Another_source_is_unaffected_by_a_flooding_one()
    {
        var limiter = new SourceRateLimiter(5, 10, 16, new ManualTimeProvider());
        Admitted(limiter, A, 100);

        Assert.Equal(10, Admitted(limiter, B, 10));
        Assert.Equal(10, Admitted(limiter, C, 10));
    }

    [Fact]
    public void The_bucket_refills_at_the_configured_rate_up_to_the_burst()
    {
        var time = new ManualTimeProvider();
        var limiter = new SourceRateLimiter(5, 10, 16, time);
        Admitted(limiter, A, 10);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, Admitted(limiter, A, 20));

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(10, Admitted(limiter, A, 20));
    }

    [Fact]
    public void The_table_stays_bounded_under_100000_distinct_sources()
    {
        var limiter = new SourceRateLimiter(5, 10, capacity: 1024, new ManualTimeProvider());
        for (var i = 0; i < 100_000; i++)
        {
            Assert.True(limiter.TryAcquire(new SourceAddress((UInt128)(0x0A000000u + (uint)i), true)));
        }

        Assert.Equal(1024, limiter.TrackedSources);
    }

    [Fact]
    public void The_least_recently_seen_source_is_evicted_first()
    {
        var limiter = new SourceRateLimiter(1, 2, capacity: 2, new ManualTimeProvider());
        Admitted(limiter, A, 2);
        Admitted(limiter, B, 2);
        Assert.False(limiter.TryAcquire(A)); // A is now the most recently seen, B the least.

        Assert.True(limiter.TryAcquire(C));  // evicts B

        Assert.False(limiter.TryAcquire(A)); // A kept its empty bucket
        Assert.Equal(2, Admitted(limiter, B, 5)); // B was forgotten and starts full again
    }

    [Fact]
    public void Deciding_for_a_known_source_allocates_nothing()
    {
        var limiter = new SourceRateLimiter(1000, 10, 16, new ManualTimeProvider());
        limiter.TryAcquire(A);
        limiter.TryAcquire(B);

        Assert.Equal(0, Allocation.LeastOfThreeRounds(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                limiter.TryAcquire((i & 1) == 0 ? A : B);
            }
        }));
    }
}
