using System.CommandLine;
using StepAudio.Telephony.Cli.Data;
using StepAudio.Telephony.Cli.Paths;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Eval;

/// <summary><c>eval &lt;folder&gt; [--json] [--config appsettings.json] [--vad-model silero.onnx]</c>: scores the analysis on a labelled folder.</summary>
public static class EvalCommand
{
    /// <summary>Exit code when the folder or the configuration cannot be used.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the command; output goes to the given writers so tests can read it.</summary>
    public static Command Create(TextWriter output, TextWriter error, Func<ParalinguisticsOptions, ISegmentAnalyzer> analyzerFactory)
    {
        var folder = new Argument<DirectoryInfo>("folder")
        {
            Description = "Folder laid out as <folder>/<label>/*.wav or <folder>/<label>/<speaker>/*.wav (each speaker judged against their own running baseline); labels: " +
                string.Join(", ", EvalLabels.Emotions.Concat(EvalLabels.VocalEvents)) + " (other label folders are analysed and reported apart, outside the UAR)",
        };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var config = new Option<FileInfo?>("--config") { Description = "JSON settings file whose Paralinguistics section configures the analysis (model slot included)" };
        var vadModel = new Option<FileInfo?>("--vad-model") { Description = $"Silero VAD model that cuts speech clips as a call would (default: ${ToolPaths.VadModelVariable}, else {ToolPaths.DefaultVadModel} of the checkout)" };
        var command = new Command("eval", "Score emotion and vocal-event recognition on a labelled WAV folder") { folder, json, config, vadModel };
        command.SetAction(parse =>
        {
            try
            {
                var options = ParalinguisticsSettings.Load(parse.GetValue(config));
                using var cut = CallCut.WithModelAt(ToolPaths.VadModel(parse.GetValue(vadModel)));
                var report = new EvalRunner(analyzerFactory(options), cut).Run(parse.GetValue(folder)!.FullName);
                report = report with { Notes = [.. report.Notes ?? [], .. EvalNotes.For(report, options)] };
                if (parse.GetValue(json))
                {
                    EvalReportWriter.WriteJson(report, output);
                }
                else
                {
                    EvalReportWriter.WriteText(report, output);
                }

                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException)
            {
                error.WriteLine($"eval: {e.Message}");
                return UsageError;
            }
        });
        return command;
    }
}
