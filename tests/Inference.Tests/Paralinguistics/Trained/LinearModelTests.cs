using System.Text;
using System.Text.Json;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Trained;

public sealed class LinearModelTests
{
    /// <summary>Two classes over two measures: a = +2·z(hnr), b = −1·z(flatness) + 0.5.</summary>
    private static LinearModelDocument TwoClasses() => new()
    {
        Task = "vocal_event",
        Classes = ["laugh", "none"],
        Features =
        [
            new LinearModelFeature { Name = "hnr_db", Mean = 10, Std = 5 },
            new LinearModelFeature { Name = "flatness", Mean = 0.2, Std = 0.1 },
        ],
        Weights = [[2, 0], [0, -1]],
        Biases = [0, 0.5],
    };

    /// <summary>Two emotions over one measure, with <paramref name="firstTurn"/> as its first-turn model.</summary>
    private static LinearModelDocument Emotion(LinearModelDocument? firstTurn) => new()
    {
        Task = "emotion",
        Classes = ["neutral", "angry"],
        Features = [new LinearModelFeature { Name = "hnr_db", Mean = 10, Std = 5 }],
        Weights = [[1], [-1]],
        Biases = [0, 0],
        FirstTurn = firstTurn,
    };

    private static double[] Measures(double hnr, double flatness)
    {
        var values = new double[ModelFeatures.Names.Count];
        values[ModelFeatures.IndexOf("hnr_db")] = hnr;
        values[ModelFeatures.IndexOf("flatness")] = flatness;
        return values;
    }

    [Fact]
    public void Prediction_is_the_softmax_of_weights_times_standardised_measures_with_contributions()
    {
        var model = LinearModel.FromDocument(TwoClasses(), "test");

        // z(hnr) = (20 − 10)/5 = 2 → logit a = 4; z(flatness) = (0.3 − 0.2)/0.1 = 1 → logit b = −1 + 0.5 = −0.5.
        var prediction = model.Predict(Measures(20, 0.3));

        var expected = 1 / (1 + Math.Exp(-4.5));
        Assert.Equal(0, prediction.Best);
        Assert.Equal(expected, prediction.Probabilities[0], 9);
        Assert.Equal(1 - expected, prediction.Probabilities[1], 9);
        Assert.Equal("hnr_db", prediction.Cues[0].Cue);
        Assert.Equal(20, prediction.Cues[0].Value);
        Assert.Equal(4, prediction.Cues[0].Contribution, 9);
    }

    [Fact]
    public void An_absurd_measure_is_clamped_to_five_standard_deviations()
    {
        var model = LinearModel.FromDocument(TwoClasses(), "test");

        var prediction = model.Predict(Measures(1e9, 0.2));

        Assert.Equal(10, prediction.Cues[0].Contribution, 9);
    }

    [Theory]
    [InlineData("format")]
    [InlineData("unknown measure")]
    [InlineData("shape")]
    [InlineData("std")]
    [InlineData("finite")]
    [InlineData("threshold")]
    public void A_broken_model_file_is_refused_with_the_reason(string fault)
    {
        var document = TwoClasses();
        string expected;
        switch (fault)
        {
            case "format":
                document.Format = "other";
                expected = "format";
                break;
            case "unknown measure":
                document.Features[0].Name = "loudness_of_moon";
                expected = "unknown measure 'loudness_of_moon'";
                break;
            case "shape":
                document.Weights[1].Add(3);
                expected = "weight rows";
                break;
            case "std":
                document.Features[1].Std = 0;
                expected = "positive std";
                break;
            case "threshold":
                document.MinEventProbability = 1.5;
                expected = "min_event_probability";
                break;
            default:
                document.Biases[0] = double.NaN;
                expected = "finite";
                break;
        }

        var error = Assert.Throws<InvalidDataException>(() => LinearModel.FromDocument(document, "m.json"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("m.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other task")]
    [InlineData("other classes")]
    [InlineData("nested")]
    [InlineData("broken inside")]
    public void A_first_turn_model_must_match_its_model_and_be_sound(string fault)
    {
        var document = Emotion(Emotion(null));
        switch (fault)
        {
            case "other task":
                document.Task = "vocal_event";
                document.FirstTurn!.Task = "vocal_event";
                break;
            case "other classes":
                document.FirstTurn!.Classes[1] = "happy";
                break;
            case "nested":
                document.FirstTurn!.FirstTurn = Emotion(null);
                break;
            default:
                document.FirstTurn!.Biases[0] = double.NaN;
                break;
        }

        var error = Assert.Throws<InvalidDataException>(() => LinearModel.FromDocument(document, "m.json"));
        Assert.Contains(fault == "broken inside" ? "(first turn): weights and biases must be finite" : "first_turn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_turn_model_survives_the_json_round_trip()
    {
        using var stream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(Emotion(Emotion(null))));

        var model = LinearModel.Load(stream, "round-trip");

        Assert.NotNull(model.FirstTurn);
        Assert.Null(model.FirstTurn.FirstTurn);
        Assert.Equal(model.Classes, model.FirstTurn.Classes);
        Assert.Null(LinearModel.FromDocument(Emotion(null), "plain").FirstTurn);
    }

    [Fact]
    public void Text_that_is_not_a_model_is_refused()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"classes\": 3"));

        var error = Assert.Throws<InvalidDataException>(() => LinearModel.Load(stream, "x.json"));
        Assert.Contains("not a model file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_survives_its_json_round_trip()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(TwoClasses());
        using var stream = new MemoryStream(json);

        var model = LinearModel.Load(stream, "round-trip");

        Assert.Equal(LinearModel.FromDocument(TwoClasses(), "x").Predict(Measures(3, 0.5)).Probabilities, model.Predict(Measures(3, 0.5)).Probabilities);
    }

    [Theory]
    [InlineData(TrainedModels.BuiltinEmotion, "emotion", new[] { "angry", "happy", "neutral", "sad" })]
    [InlineData(TrainedModels.BuiltinVocalEvents, "vocal_event", new[] { "cough", "crying", "gasp", "laugh", "none", "sigh" })]
    public void The_shipped_models_load_and_carry_their_provenance(string resource, string task, string[] classes)
    {
        var model = TrainedModels.Resolve("builtin", resource)!;

        Assert.Equal(task, model.Task);
        Assert.Equal(classes, model.Classes);
        foreach (var key in new[] { "command", "date", "data", "excluded_speakers", "cross_validation" })
        {
            Assert.True(model.Document.Provenance.ContainsKey(key), $"provenance lacks {key}");
        }
    }

    [Fact]
    public void The_shipped_vocal_event_model_carries_its_calibrated_threshold()
    {
        var model = TrainedModels.Resolve("builtin", TrainedModels.BuiltinVocalEvents)!;

        Assert.InRange(model.Document.MinEventProbability ?? 0, 0.4, 0.99);
        Assert.True(model.Document.Provenance.ContainsKey("event_threshold"), "provenance lacks event_threshold");
    }

    [Fact]
    public void Rules_select_no_model_and_a_missing_file_is_named()
    {
        Assert.Null(TrainedModels.Resolve("rules", TrainedModels.BuiltinEmotion));
        var error = Assert.Throws<FileNotFoundException>(() => TrainedModels.Resolve("/nonexistent/m.json", TrainedModels.BuiltinEmotion));
        Assert.Contains("/nonexistent/m.json", error.Message, StringComparison.Ordinal);
    }
}
