using System.Text.Json;

namespace StepAudio.Telephony.Cli.Tests.Eval;

public sealed class EvalCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Hand-worked expectation for the coded folder below (see FakeAnalyzer for the code):
    // emotion   neutral → neutral, neutral, sad; sad → sad, ambiguous
    //   neutral P 2/2 = 1, R 2/3, F1 0.8; sad P 1/2, R 1/2, F1 0.5; accuracy 3/5; UAR 7/12; macro P 0.75; macro F1 0.65
    // vocal     sigh → sigh, none; none → none, laugh
    //   sigh P 1, R 0.5, F1 2/3; none P 1/2, R 1/2, F1 1/2; laugh P 0 (support 0, not averaged); accuracy 0.5; UAR 0.5
    private void WriteCodedFolder()
    {
        Write("neutral", 0.0f, 0.0f, 0.2f);
        Write("sad", 0.2f, 0.5f);
        Write("sigh", 0.0f, 0.9f);
        Write("none", 0.9f, 0.1f);
    }

    [Fact]
    public void Text_report_prints_per_label_metrics_confusion_and_averages()
    {
        WriteCodedFolder();

        var (exit, output, _) = Run(new FakeAnalyzer(), "eval", _dir.Path);

        Assert.Equal(0, exit);
        Assert.Contains("Task emotion: 5 files", output, StringComparison.Ordinal);
        Assert.Equal(["1.000", "0.667", "0.800", "3"], Row(output, "neutral", 0));
        Assert.Equal(["0.500", "0.500", "0.500", "2"], Row(output, "sad", 0));
        Assert.Equal(["0.000", "0.000", "0.000", "0"], Row(output, "happy", 0));
        Assert.Equal(["0.750", "0.583", "0.650", "5"], Row(output, "macro", 0));
        Assert.Contains("accuracy 0.600  UAR 0.583  chance UAR 0.500", output, StringComparison.Ordinal);
        // The confusion header (columns neutral … ambiguous, so it too starts with "neutral") and rows follow the metrics.
        Assert.Equal(["happy", "sad", "angry", "frustrated", "ambiguous"], Row(output, "neutral", 1));
        Assert.Equal(["2", "0", "1", "0", "0", "0"], Row(output, "neutral", 2));
        Assert.Equal(["0", "0", "1", "0", "0", "1"], Row(output, "sad", 1));

        Assert.Contains("Task vocal_event: 4 files", output, StringComparison.Ordinal);
        Assert.Equal(["1.000", "0.500", "0.667", "2"], Row(output, "sigh", 0));
        Assert.Equal(["0.500", "0.500", "0.500", "2"], Row(output, "none", 0));
        Assert.Contains("accuracy 0.500  UAR 0.500  chance UAR 0.500", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_report_carries_the_same_figures()
    {
        WriteCodedFolder();

        var (exit, output, _) = Run(new FakeAnalyzer(), "eval", _dir.Path, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var emotion = Task(json, "emotion");
        Assert.Equal(0.6, emotion.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(7.0 / 12, emotion.GetProperty("uar").GetDouble(), 12);
        Assert.Equal(0.65, emotion.GetProperty("macro_f1").GetDouble(), 12);
        Assert.Equal("ambiguous", emotion.GetProperty("predicted")[5].GetString());
        Assert.Equal([2, 0, 1, 0, 0, 0], emotion.GetProperty("confusion")[0].EnumerateArray().Select(c => c.GetInt32()));
        var events = Task(json, "vocal_event");
        Assert.Equal(2.0 / 3, Label(events, "sigh").GetProperty("f1").GetDouble(), 12);
        Assert.Equal(0.5, events.GetProperty("uar").GetDouble(), 12);
    }

    [Fact]
    public void A_folder_that_is_not_a_label_is_a_usage_error_naming_the_layout()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "wideband"));

        var (exit, _, error) = Run(new FakeAnalyzer(), "eval", _dir.Path);

        Assert.Equal(2, exit);
        Assert.Contains("is not a label folder", error, StringComparison.Ordinal);
        Assert.Contains("throat_clear", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Speech_without_the_VAD_model_is_a_usage_error_saying_how_to_fetch_it_and_sounds_need_none()
    {
        var missing = Path.Combine(_dir.Path, "no-such-model.onnx");
        Write("cough", 0.4f);

        var (soundsExit, _, soundsError) = Run(new FakeAnalyzer(), "eval", _dir.Path, "--vad-model", missing);
        Write("angry", 0.5f);
        var (speechExit, _, speechError) = Run(new FakeAnalyzer(), "eval", _dir.Path, "--vad-model", missing);

        Assert.True(soundsExit == 0, soundsError);
        Assert.Equal(2, speechExit);
        Assert.Contains("no-such-model.onnx", speechError, StringComparison.Ordinal);
        Assert.Contains("scripts/fetch-vad-model.sh", speechError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_labelled_by_sound_is_read_whole_spellings_mapped_and_unknown_sounds_reported_apart()
    {
        // Codes (FakeAnalyzer): 0.1 laugh, 0.4 cough, 0.0 sigh, 0.9 none.
        Write("Laughter", 0.1f, 0.9f);
        Write("coughing", 0.4f, 0.9f);
        Write("throat clearing", 0.9f);
        Write("sneeze", 0.9f, 0.0f, 0.9f);

        var (exit, output, error) = Run(new FakeAnalyzer(), "eval", _dir.Path);
        var (jsonExit, jsonOutput, _) = Run(new FakeAnalyzer(), "eval", _dir.Path, "--json");

        Assert.True(exit == 0, error);
        Assert.Equal(0, jsonExit);
        Assert.Contains("Task vocal_event: 5 files", output, StringComparison.Ordinal);
        Assert.Equal(["1.000", "0.500", "0.667", "2"], Row(output, "laugh", 0));
        Assert.Equal(["1.000", "0.500", "0.667", "2"], Row(output, "cough", 0));
        Assert.Equal(["0.000", "0.000", "0.000", "1"], Row(output, "throat_clear", 0));
        Assert.Contains("Not scored (no class 'sneeze'): 3 files, predicted none 2, sigh 1", output, StringComparison.Ordinal);
        // The shipped model has a cough class (Coswara) but no throat-clear class: the report says so and gives the
        // UAR without it.
        Assert.Contains("has no 'throat_clear' class", output, StringComparison.Ordinal);
        Assert.Contains("no licensed recordings of throat clears were found to train on", output, StringComparison.Ordinal);
        Assert.Contains("UAR over the 2 labels it can report (laugh, cough): 0.500", output, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(jsonOutput);
        var sneeze = json.RootElement.GetProperty("unscored").EnumerateArray().Single();
        Assert.Equal("sneeze", sneeze.GetProperty("label").GetString());
        Assert.Equal(3, sneeze.GetProperty("files").GetInt32());
        Assert.Equal(2, sneeze.GetProperty("predicted").GetProperty("none").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("notes").GetArrayLength());
    }

    [Fact]
    public void Emotion_files_without_a_speaker_folder_are_said_to_be_judged_as_callers_not_heard_yet()
    {
        WriteCodedFolder();
        var speakerFolder = Directory.CreateDirectory(Path.Combine(_dir.Path, "angry", "caller-1")).FullName;
        File.WriteAllBytes(Path.Combine(speakerFolder, "a.wav"), TestWav.Float32(16_000, new float[160]));

        var (exit, output, error) = Run(new FakeAnalyzer(), "eval", _dir.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("note: 5 of 6 emotion files have no speaker folder: each was judged as a caller not heard yet", output, StringComparison.Ordinal);

        // With every speaker in a folder of their own there is nothing to say.
        foreach (var label in new[] { "neutral", "sad" })
        {
            Directory.Delete(Path.Combine(_dir.Path, label), recursive: true);
        }

        var (_, withSpeakers, _) = Run(new FakeAnalyzer(), "eval", _dir.Path);
        Assert.DoesNotContain("no speaker folder", withSpeakers, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rules_detector_gets_no_note_about_coughs()
    {
        Write("cough", 0.4f);
        using var elsewhere = new TempDirectory();
        var settings = elsewhere.File("settings.json");
        File.WriteAllText(settings, """{ "Paralinguistics": { "VocalEventModel": "rules" } }""");

        var (exit, output, error) = Run(new FakeAnalyzer(), "eval", _dir.Path, "--config", settings);

        Assert.True(exit == 0, error);
        Assert.Equal(["1.000", "1.000", "1.000", "1"], Row(output, "cough", 0));
        Assert.DoesNotContain("note:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_set_is_read_whole_in_both_variants_and_scored()
    {
        var set = Path.Combine(_dir.Path, "set");
        ExternalTool.Run("bash", Path.Combine(RepositoryRoot(), "scripts", "make-eval-set.sh"), set);

        var wide = new FakeAnalyzer(constant: true);
        var phone = new FakeAnalyzer(constant: true);
        var (wideExit, wideJson, wideError) = Run(wide, "eval", Path.Combine(set, "wideband"), "--json");
        var (phoneExit, phoneJson, _) = Run(phone, "eval", Path.Combine(set, "telephone"), "--json");

        Assert.True(wideExit == 0, wideError);
        Assert.Equal(0, phoneExit);
        foreach (var output in new[] { wideJson, phoneJson })
        {
            using var json = JsonDocument.Parse(output);
            Assert.Empty(json.RootElement.GetProperty("unreadable").EnumerateArray());
            // 12 clips per emotion (4 sentences × 3 voices); the constant analyzer says neutral: accuracy = UAR = 1/5.
            var emotion = Task(json, "emotion");
            Assert.All(["neutral", "happy", "sad", "angry", "frustrated"], l => Assert.Equal(12, Label(emotion, l).GetProperty("support").GetInt32()));
            Assert.Equal(0.2, emotion.GetProperty("accuracy").GetDouble(), 12);
            Assert.Equal(0.2, emotion.GetProperty("uar").GetDouble(), 12);
            // 6 clips per vocal-event label, none for crying; "none" is always predicted: 6 right out of 36.
            var events = Task(json, "vocal_event");
            Assert.All(["sigh", "laugh", "gasp", "throat_clear", "cough", "none"], l => Assert.Equal(6, Label(events, l).GetProperty("support").GetInt32()));
            Assert.Equal(0, Label(events, "crying").GetProperty("support").GetInt32());
            Assert.Equal(6.0 / 36, events.GetProperty("accuracy").GetDouble(), 12);
        }

        Assert.Equal(96, wide.Lengths.Count);
        Assert.Equal(96, phone.Lengths.Count);
        Assert.Equal(60, wide.SpeechLengths.Count);
        Assert.Equal(wide.SpeechLengths.Count, phone.SpeechLengths.Count);

        // The telephone variant is 8 kHz, read back at 16 kHz. Speech is cut where the call's VAD finds it and sounds
        // where a call's span finder would cut them; the channel moves both a little (the VAD's decisions by a few of
        // its 32 ms windows, and a soft first or last syllable of the synthetic voices may fall under its threshold
        // through the channel), so each length within a factor of two and most within 0.1 s.
        var pairs = wide.SpeechLengths.Zip(phone.SpeechLengths).ToList();
        Assert.All(pairs, p => Assert.InRange(p.Second, p.First * 0.5, p.First * 2));
        Assert.True(pairs.Count(p => Math.Abs(p.Second - p.First) <= 1_600) >= pairs.Count * 3 / 4, "most speech clips cut alike through the channel");
    }

    private static (int Exit, string Output, string Error) Run(FakeAnalyzer analyzer, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CliApplication.Run(args, output, error, _ => analyzer);
        return (exit, output.ToString(), error.ToString());
    }

    // The whitespace-separated values after the first (or second, …) line that starts with <label>.
    private static string[] Row(string output, string label, int occurrence) =>
        [.. output.Split('\n').Where(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() == label)
            .ElementAt(occurrence).Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)];

    private static JsonElement Task(JsonDocument json, string name) =>
        json.RootElement.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task").GetString() == name);

    private static JsonElement Label(JsonElement task, string label) =>
        task.GetProperty("labels").EnumerateArray().Single(l => l.GetProperty("label").GetString() == label);

    private void Write(string label, params float[] firstSamples)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir.Path, label)).FullName;
        for (var i = 0; i < firstSamples.Length; i++)
        {
            var samples = new float[160];
            samples[0] = firstSamples[i];
            File.WriteAllBytes(Path.Combine(folder, $"{i}.wav"), TestWav.Float32(16_000, samples));
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "make-eval-set.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("scripts/make-eval-set.sh not found above " + AppContext.BaseDirectory);
    }
}
