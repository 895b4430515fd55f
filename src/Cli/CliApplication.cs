using System.CommandLine;
using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Cli.Flows.Simulate;
using StepAudio.Telephony.Cli.Flows.Validate;
using StepAudio.Telephony.Cli.Train;
using StepAudio.Telephony.Cli.Voices;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli;

/// <summary>The <c>stepaudio</c> command line: offline tools around the gateway (<c>eval</c>, <c>train</c>, <c>validate</c>, <c>simulate</c>, <c>voices</c>).</summary>
public static class CliApplication
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<ParalinguisticsOptions, ISegmentAnalyzer>? analyzerFactory = null)
    {
        analyzerFactory ??= options => SegmentAnalyzers.CreateDefault(options);
        var root = new RootCommand("StepAudio.Telephony tools")
        {
            EvalCommand.Create(output, error, analyzerFactory),
            ValidateCommand.Create(output, error),
            SimulateCommand.Create(output, error, analyzerFactory),
            TrainCommand.Create(output, error, TimeProvider.System),
            VoicesCommand.Create(output, error),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Every command documents 2 for usage errors; System.CommandLine's own default would be 1, which
            // validate and simulate use for "the flow is invalid".
            foreach (var parseError in parsed.Errors)
            {
                error.WriteLine(parseError.Message);
            }

            return 2;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
