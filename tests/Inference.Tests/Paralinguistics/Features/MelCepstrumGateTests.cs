using System.Text.Json;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

/// <summary>The mel cepstrum is measured only for training and for a vocal-event model that reads it.</summary>
public sealed class MelCepstrumGateTests
{
    private static readonly float[] Voice = Tone(1.0);

    [Fact]
    public void The_extractor_leaves_it_out_unless_asked_and_the_other_measures_do_not_change()
    {
        var without = new AcousticFeatureExtractor().Extract(Voice);
        var with = new AcousticFeatureExtractor(melCepstrum: true).Extract(Voice);

        Assert.Null(without.MelCepstrum);
        Assert.NotNull(with.MelCepstrum);
        var first = ModelFeatures.Names.Count - ModelFeatures.MelCepstrumNames.Count;
        var a = new double[ModelFeatures.Names.Count];
        var b = new double[ModelFeatures.Names.Count];
        ModelFeatures.Compute(without, EmotionNorms.TelephoneSpeech, a);
        ModelFeatures.Compute(with, EmotionNorms.TelephoneSpeech, b);
        Assert.Equal(a[..first], b[..first]);
        Assert.All(a[first..], v => Assert.Equal(0, v));
    }

    [Fact]
    public void The_shipped_models_and_the_rules_do_not_read_it()
    {
        Assert.False(SegmentAnalyzers.ReadsMelCepstrum(EventModel(ParalinguisticsOptions.BuiltinModel)));
        Assert.False(SegmentAnalyzers.ReadsMelCepstrum(EventModel(ParalinguisticsOptions.RulesModel)));
    }

    [Fact]
    public void A_model_file_that_reads_a_cepstral_measure_turns_it_on()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mfcc-model-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, JsonSerializer.Serialize(new LinearModelDocument
            {
                Task = "vocal_event",
                Classes = ["laugh", "none"],
                Features = [new LinearModelFeature { Name = "mfcc3_mean", Mean = 0, Std = 1 }],
                Weights = [[1], [-1]],
                Biases = [0, 0],
            }));

            Assert.True(SegmentAnalyzers.ReadsMelCepstrum(EventModel(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static LinearModel? EventModel(string setting) => TrainedModels.Resolve(setting, TrainedModels.BuiltinVocalEvents);

    private static float[] Tone(double seconds)
    {
        var pcm = new float[(int)(16_000 * seconds)];
        for (var i = 0; i < pcm.Length; i++)
        {
            // A voiced-like harmonic series at 140 Hz with a slow level swell.
            var t = i / 16_000.0;
            var level = 0.2 * (0.6 + (0.4 * Math.Sin(2 * Math.PI * 3 * t)));
            pcm[i] = (float)(level * (Math.Sin(2 * Math.PI * 140 * t) + (0.5 * Math.Sin(2 * Math.PI * 280 * t)) + (0.3 * Math.Sin(2 * Math.PI * 700 * t))));
        }

        return pcm;
    }
}
