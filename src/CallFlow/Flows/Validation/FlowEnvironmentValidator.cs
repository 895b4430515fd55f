using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Prompts;

namespace StepAudio.Telephony.CallFlow.Flows.Validation;

/// <summary>
/// Checks a loaded flow against its <see cref="FlowEnvironment"/>: every <c>play</c> file (<c>early_media</c>'s too) exists in the prompt
/// directory (or is an http(s) URL), and every <c>voice</c> is one the speech engine has. What passes here does not
/// fail at run time for those reasons (a URL is only checked for its form: validation does not go on the network).
/// </summary>
public static class FlowEnvironmentValidator
{
    /// <summary>The mistakes, each at the step that makes it.</summary>
    public static IReadOnlyList<FlowError> Check(FlowDefinition flow, FlowEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<FlowError>();
        if (flow.Voice is { } flowVoice && environment.Voices?.Check(flowVoice) is { } flowProblem)
        {
            errors.Add(new FlowError(flow.File, TopLevelLine(flow.File, "voice"), 1, "voice", flowProblem));
        }

        if (flow.EarlyMedia is { } early)
        {
            var at = early.Location;
            if (early.File is { } file && CheckPrompt(file, environment.PromptsDirectory) is { } earlyPrompt)
            {
                errors.Add(new FlowError(at.File, at.Line, at.Column, "early_media.play", earlyPrompt));
            }

            if (early.Voice is { } earlyVoice && environment.Voices?.Check(earlyVoice) is { } earlyVoiceProblem)
            {
                errors.Add(new FlowError(at.File, at.Line, at.Column, "early_media.voice", earlyVoiceProblem));
            }
        }

        foreach (var step in flow.Steps.Values.OrderBy(s => s.Location.Line))
        {
            var (file, voice) = step switch
            {
                PlayStep play => (play.File, null),
                SayStep say => (null, say.Voice),
                GatherStep gather => (gather.Play, gather.Voice),
                _ => ((string?)null, (string?)null),
            };
            var field = $"steps.{step.Name}.{step.Verb}";
            if (file is not null && CheckPrompt(file, environment.PromptsDirectory) is { } promptProblem)
            {
                errors.Add(Error(step, step is GatherStep ? $"{field}.play" : field, promptProblem));
            }

            if (voice is not null && environment.Voices?.Check(voice) is { } voiceProblem)
            {
                errors.Add(Error(step, $"{field}.voice", voiceProblem));
            }
        }

        return errors;
    }

    // The definition keeps no position for top-level fields; the line is found again in the file (1 if unreadable).
    private static int TopLevelLine(string file, string key)
    {
        try
        {
            var lines = File.ReadAllLines(file);
            var index = Array.FindIndex(lines, l => l.StartsWith(key + ":", StringComparison.Ordinal));
            return index + 1 > 0 ? index + 1 : 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return 1;
        }
    }

    private static FlowError Error(FlowStep step, string field, string message) =>
        new(step.Location.File, step.Location.Line, step.Location.Column, field, message);

    private static string? CheckPrompt(string file, string? directory)
    {
        if (PromptSource.IsUrl(file))
        {
            return PromptSource.CheckUrl(file);
        }

        if (directory is null)
        {
            return $"'{file}' is a prompt file, but no prompt directory is configured (Prompts:Directory; "
                + "by default the prompts folder next to the flows)";
        }

        if (!Directory.Exists(directory))
        {
            return $"prompt directory '{directory}' does not exist, so '{file}' cannot be played; create it "
                + "(by default: a prompts folder next to the flows) or set Prompts:Directory";
        }

        var path = Path.GetFullPath(Path.Combine(directory, file));
        var relative = Path.GetRelativePath(directory, path);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return $"'{file}' is outside the prompt directory '{directory}'; prompts are named relative to it";
        }

        if (!File.Exists(path))
        {
            var near = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/')).Take(500).ToList();
            return $"prompt file '{file}' does not exist in '{directory}'{NameSuggestions.Hint(file, near)}";
        }

        return null;
    }
}
