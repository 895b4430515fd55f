using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Models;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics;

public sealed class OnnxAudioClassifierTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(true, AudioOutputKind.Probabilities)]
    [InlineData(false, AudioOutputKind.Logits)]
    public void Loud_and_quiet_input_flip_the_predicted_label(bool softmaxInModel, AudioOutputKind kind)
    {
        using var classifier = new OnnxAudioClassifier(Options(Write(TinyOnnxModel.Loudness(0.1f, softmaxInModel)), kind, "angry", "sad"));

        var loud = classifier.Classify(Tone(amplitude: 0.5f));
        var quiet = classifier.Classify(Tone(amplitude: 0.01f));

        Assert.Equal(EmotionLabel.Angry, loud.Emotions[0].Label);
        Assert.Equal(EmotionLabel.Sad, quiet.Emotions[0].Label);
        Assert.True(loud.Emotions[0].Score > 0.99, $"loud score {loud.Emotions[0].Score}");
        Assert.Equal(1.0, loud.Emotions.Sum(s => s.Score), 6);
    }

    [Fact]
    public void Label_map_sends_event_classes_to_events_and_skips_ignored_ones()
    {
        var path = Write(TinyOnnxModel.Loudness(0.1f, softmax: true, classes: 3));
        using var classifier = new OnnxAudioClassifier(Options(path, AudioOutputKind.Probabilities, "laugh", "neutral", "ignore"));

        var loud = classifier.Classify(Tone(amplitude: 0.5f));

        Assert.Equal(VocalEventKind.Laugh, Assert.Single(loud.Events).Kind);
        Assert.True(loud.Events[0].Score > 0.9);
        // The only emotion class is renormalised over the emotion classes alone.
        Assert.Equal(new EmotionScore(EmotionLabel.Neutral, 1), Assert.Single(loud.Emotions));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Log_mel_input_in_either_layout_reaches_the_model(bool timeFirst)
    {
        // Log-mel of white noise at ±0.3 sits near log(0.03·window energy), far above −2; silence floors at −15.9.
        var path = Write(TinyOnnxModel.LogMelLoudness(threshold: -2, melBins: 40, timeFirst));
        var options = Options(path, AudioOutputKind.Probabilities, "angry", "neutral");
        options.InputFormat = timeFirst ? AudioInputFormat.LogMelTimeFirst : AudioInputFormat.LogMelFeatureFirst;
        options.MelBins = 40;
        using var classifier = new OnnxAudioClassifier(options);

        Assert.Equal(EmotionLabel.Angry, classifier.Classify(Noise(0.3f)).Emotions[0].Label);
        Assert.Equal(EmotionLabel.Neutral, classifier.Classify(new float[16_000]).Emotions[0].Label);
    }

    [Fact]
    public void Parallel_runs_on_one_classifier_agree_with_sequential_ones()
    {
        using var classifier = new OnnxAudioClassifier(Options(Write(TinyOnnxModel.Loudness(0.1f, softmax: true)), AudioOutputKind.Probabilities, "angry", "sad"));
        var inputs = Enumerable.Range(0, 32).Select(i => Tone(amplitude: i % 2 == 0 ? 0.5f : 0.01f, samples: 800 + (i * 40))).ToArray();
        var sequential = inputs.Select(x => classifier.Classify(x).Emotions[0]).ToArray();

        var parallel = new EmotionScore[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = classifier.Classify(inputs[i]).Emotions[0]);

        Assert.Equal(sequential, parallel);
        Assert.Equal(EmotionLabel.Angry, parallel[0].Label);
        Assert.Equal(EmotionLabel.Sad, parallel[1].Label);
    }

    [Fact]
    public void Missing_model_names_the_path()
    {
        var path = Path.Combine(_dir.Path, "absent.onnx");

        var e = Assert.Throws<FileNotFoundException>(() => new OnnxAudioClassifier(Options(path, AudioOutputKind.Logits, "angry", "sad")));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_model_names_the_path()
    {
        var path = Write([1, 2, 3, 4, 5]);

        var e = Assert.Throws<InvalidDataException>(() => new OnnxAudioClassifier(Options(path, AudioOutputKind.Logits, "angry", "sad")));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Class_count_that_differs_from_the_label_map_is_refused_at_load()
    {
        var path = Write(TinyOnnxModel.Loudness(0.1f, softmax: true));

        var e = Assert.Throws<InvalidDataException>(() => new OnnxAudioClassifier(Options(path, AudioOutputKind.Logits, "angry", "sad", "happy")));

        Assert.Contains("3 classes", e.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 2]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_tensor_name_is_refused_with_the_names_it_has()
    {
        var options = Options(Write(TinyOnnxModel.Loudness(0.1f, softmax: true)), AudioOutputKind.Logits, "angry", "sad");
        options.InputName = "feats";

        var e = Assert.Throws<InvalidDataException>(() => new OnnxAudioClassifier(options));

        Assert.Contains("no input 'feats'", e.Message, StringComparison.Ordinal);
        Assert.Contains("input", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_label_name_is_refused_naming_its_index()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ClassLabelMap.Parse(["angry", "fearful"]));

        Assert.Contains("Labels[1] 'fearful'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Snake_case_event_names_map_to_kinds()
    {
        var map = ClassLabelMap.Parse(["throat_clear", "Neutral", "ignore"]);

        Assert.Equal(VocalEventKind.ThroatClear, map.EventAt(0));
        Assert.Equal(EmotionLabel.Neutral, map.EmotionAt(1));
        Assert.Null(map.EmotionAt(2));
        Assert.Null(map.EventAt(2));
    }

    internal static float[] Tone(float amplitude, int samples = 16_000)
    {
        var wave = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            wave[i] = amplitude * MathF.Sin(2 * MathF.PI * 220 * i / 16_000f);
        }

        return wave;
    }

    private static float[] Noise(float amplitude)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, 16_000).Select(_ => amplitude * ((2 * random.NextSingle()) - 1))];
    }

    internal static AudioClassifierOptions Options(string path, AudioOutputKind kind, params string[] labels)
    {
        var options = new AudioClassifierOptions { Name = "tiny", ModelPath = path, OutputKind = kind };
        foreach (var label in labels)
        {
            options.Labels.Add(label);
        }

        return options;
    }

    private string Write(byte[] model)
    {
        var path = Path.Combine(_dir.Path, Guid.NewGuid().ToString("N") + ".onnx");
        File.WriteAllBytes(path, model);
        return path;
    }
}
