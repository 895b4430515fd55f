using StepAudio.Telephony.Cli.Data;
using StepAudio.Telephony.Cli.Train;

namespace StepAudio.Telephony.Cli.Tests.Train;

/// <summary>The cache returns exactly what was measured, and nothing once a clip changed.</summary>
public sealed class FeatureCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Rows_come_back_bit_for_bit_and_a_changed_clip_invalidates_them()
    {
        var folder = _dir.File("data");
        var clipPath = Path.Combine(folder, "laugh", "s1", "a.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(clipPath)!);
        File.WriteAllBytes(clipPath, [1, 2, 3]);
        IReadOnlyList<LabelledClip> clips = [new LabelledClip(clipPath, "laugh", "s1")];
        var values = new double[Inference.Paralinguistics.Trained.ModelFeatures.Names.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.PI * (i - 7) / 3;
        }

        var cache = new FeatureCache(_dir.File("cache"));
        Assert.Null(cache.TryLoad(folder, clips, set: 2, useSpeakerBaseline: false));
        cache.Save(folder, clips, useSpeakerBaseline: false, [new FeatureRow(values, "laugh", "s1", 0)]);

        var loaded = Assert.Single(cache.TryLoad(folder, clips, set: 2, useSpeakerBaseline: false)!);
        Assert.Equal(values, loaded.Values);
        Assert.Equal(("laugh", "s1", 2), (loaded.Label, loaded.Speaker, loaded.Set));

        // Measured without the caller's baseline is not measured with it.
        Assert.Null(cache.TryLoad(folder, clips, set: 2, useSpeakerBaseline: true));

        // Rows with other turn orders or unheard copies are another measurement; their order and heard count survive.
        Assert.Null(cache.TryLoad(folder, clips, set: 2, useSpeakerBaseline: false, turnOrders: 0, unheardCopies: true));
        cache.Save(folder, clips, useSpeakerBaseline: false, [new FeatureRow(values, "laugh", "s1", 0, TurnOrders.Unheard, 0), new FeatureRow(values, "laugh", "s1", 0, 2, 5)], turnOrders: 2, unheardCopies: true);
        Assert.Null(cache.TryLoad(folder, clips, set: 2, useSpeakerBaseline: false, turnOrders: 2));
        var variants = cache.TryLoad(folder, clips, set: 2, useSpeakerBaseline: false, turnOrders: 2, unheardCopies: true)!;
        Assert.Equal([(TurnOrders.Unheard, 0), (2, 5)], variants.Select(r => (r.TurnOrder, r.TurnsHeard)));
        Assert.Single(cache.TryLoad(folder, clips, set: 2, useSpeakerBaseline: false)!);

        // The clip changed (another length): measure again.
        File.WriteAllBytes(clipPath, [1, 2, 3, 4]);
        Assert.Null(cache.TryLoad(folder, clips, set: 2, useSpeakerBaseline: false));
    }
}
