using System.CommandLine;
using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Routing;
using StepAudio.Telephony.CallFlow.Flows.Validation;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Cli.Paths;

namespace StepAudio.Telephony.Cli.Flows.Validate;

/// <summary>
/// <c>validate [PATH...] [--json]</c>: checks flow directories (flows and routes.yaml) and single flow files, printing
/// every mistake as <c>file:line:column: field: message</c> and a summary. Exit codes: 0 valid, 1 errors, 2 usage.
/// </summary>
public static class ValidateCommand
{
    /// <summary>At least one flow has an error.</summary>
    public const int Invalid = 1;

    /// <summary>A path does not exist.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the command; output goes to the given writers so tests can read it.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("path")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "Flow directories (every *.yaml and routes.yaml) or single flow files; default config/flows",
        };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable report" };
        var prompts = new Option<DirectoryInfo?>("--prompts") { Description = "Directory of `play` prompts (default: the prompts folder next to the flows)" };
        var espeak = new Option<string>("--espeak") { Description = "The espeak-ng whose voices `voice` is checked against", DefaultValueFactory = _ => new SpeechSynthesisOptions().EspeakPath };
        var command = new Command("validate", "Check call flows and routes, and the prompt files and voices they use") { paths, json, prompts, espeak };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(paths) is { Length: > 0 } list ? list : [ToolPaths.Locate(ToolPaths.DefaultFlows)];
            var missing = given.Where(p => !Directory.Exists(p) && !File.Exists(p)).ToList();
            if (missing.Count > 0)
            {
                foreach (var path in missing)
                {
                    error.WriteLine($"validate: '{path}' is neither a flow file nor a directory");
                }

                return UsageError;
            }

            var report = Validate(given, parse.GetValue(prompts), parse.GetValue(espeak)!);
            if (parse.GetValue(json))
            {
                output.WriteLine(ToJson(report).ToJsonString(new() { WriteIndented = true }));
            }
            else
            {
                ValidationPrinter.PrintErrors(report.Errors, output);
                output.WriteLine(report.Summary());
            }

            return report.IsValid ? 0 : Invalid;
        });
        return command;
    }

    private static ValidationReport Validate(IEnumerable<string> paths, DirectoryInfo? prompts, string espeak)
    {
        var report = new ValidationReport();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var loaded = FlowSetLoader.LoadDirectory(path, FlowEnvironments.Create(ToolPaths.Prompts(prompts, path), espeak));
                report.Errors.AddRange(loaded.Errors);
                if (loaded.Set is { } set)
                {
                    report.Flows.AddRange(set.Flows.Values.OrderBy(f => f.Name, StringComparer.Ordinal));
                    report.Routes += set.Routes.Routes.Count;
                }
            }
            else
            {
                var loaded = FlowLoader.LoadFile(path);
                report.Errors.AddRange(loaded.Errors);
                if (loaded.Flow is not { } flow)
                {
                    continue;
                }

                var environment = FlowEnvironments.Create(ToolPaths.Prompts(prompts, Path.GetDirectoryName(Path.GetFullPath(path))!), espeak);
                var problems = FlowEnvironmentValidator.Check(flow, environment);
                report.Errors.AddRange(problems);
                if (problems.Count == 0)
                {
                    report.Flows.Add(flow);
                }
            }
        }

        return report;
    }

    private static JsonObject ToJson(ValidationReport report)
    {
        var flows = new JsonArray();
        foreach (var flow in report.Flows)
        {
            flows.Add(new JsonObject { ["name"] = flow.Name, ["version"] = flow.Version, ["file"] = flow.File });
        }

        var errors = new JsonArray();
        foreach (var e in ValidationPrinter.Ordered(report.Errors))
        {
            errors.Add(new JsonObject { ["file"] = e.File, ["line"] = e.Line, ["column"] = e.Column, ["field"] = e.Field, ["message"] = e.Message });
        }

        return new JsonObject
        {
            ["valid"] = report.IsValid,
            ["flows"] = flows,
            ["routes"] = report.Routes,
            ["errors"] = errors,
            ["summary"] = report.Summary(),
        };
    }
}
