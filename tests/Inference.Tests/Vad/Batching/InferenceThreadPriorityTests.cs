using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Inference.Tests.Vad.Batching;

/// <summary>
/// <see cref="InferenceThreadPriority"/> with a scripted setter: the configured nice value while the thread keeps up,
/// the start value while it is half the backlog bound behind (an overloaded host must not lose RTP to it).
/// </summary>
public sealed class InferenceThreadPriorityTests
{
    private const int MaxLagMs = 500;
    private readonly List<int> _set = [];

    [Fact]
    public void A_thread_that_falls_far_behind_yields_until_it_has_caught_up()
    {
        var priority = new InferenceThreadPriority(-10, NullLogger.Instance, "vad-inference-0", Set(0));

        priority.Start(startNice: 2);
        priority.OnPass(lagMs: 32, MaxLagMs);
        priority.OnPass(lagMs: 249, MaxLagMs);
        Assert.True(priority.IsRaised);

        priority.OnPass(lagMs: 250, MaxLagMs);
        priority.OnPass(lagMs: 480, MaxLagMs);
        Assert.False(priority.IsRaised);

        priority.OnPass(lagMs: 64, MaxLagMs);
        Assert.True(priority.IsRaised);
        Assert.Equal([-10, 2, -10], _set); // one call per change, none while nothing changes
    }

    [Fact]
    public void A_refused_value_is_not_tried_again_on_every_pass()
    {
        const int EAcces = 13;
        var priority = new InferenceThreadPriority(-10, NullLogger.Instance, "vad-inference-1", Set(EAcces));

        priority.Start(startNice: 0);
        priority.OnPass(lagMs: 400, MaxLagMs);
        priority.OnPass(lagMs: 10, MaxLagMs);

        Assert.False(priority.IsRaised);
        Assert.Equal([-10], _set);
    }

    [Fact]
    public void Zero_leaves_the_thread_alone()
    {
        var priority = new InferenceThreadPriority(0, NullLogger.Instance, "vad-inference-0", Set(0));

        priority.Start(startNice: 0);
        priority.OnPass(lagMs: 400, MaxLagMs);
        priority.OnPass(lagMs: 10, MaxLagMs);

        Assert.False(priority.IsRaised);
        Assert.Empty(_set);
    }

    private Func<int, int> Set(int result) => nice =>
    {
        _set.Add(nice);
        return result;
    };
}
