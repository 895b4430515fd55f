using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Validation;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>Loads a whole flow directory: every <c>*.yaml</c> flow, then routes.yaml against them.</summary>
public static class FlowSetLoader
{
    /// <summary>The routing file's name inside the directory.</summary>
    public const string RoutesFileName = "routes.yaml";

    /// <summary>
    /// Loads <paramref name="directory"/>; the result lists every file's errors. With <paramref name="environment"/>,
    /// each flow is also checked against it (prompt files, voices).
    /// </summary>
    public static FlowSetLoadResult LoadDirectory(string directory, FlowEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var errors = new List<FlowError>();
        string[] files;
        try
        {
            files = Directory.GetFiles(directory, "*.yaml");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new FlowSetLoadResult(null, [new FlowError(directory, 1, 1, string.Empty, $"cannot read the flow directory: {ex.Message}")]);
        }

        Array.Sort(files, StringComparer.Ordinal);
        var flows = new Dictionary<string, FlowDefinition>(StringComparer.Ordinal);
        string? routesPath = null;
        foreach (var path in files)
        {
            if (string.Equals(Path.GetFileName(path), RoutesFileName, StringComparison.OrdinalIgnoreCase))
            {
                routesPath = path;
                continue;
            }

            var result = FlowLoader.LoadFile(path);
            errors.AddRange(result.Errors);
            if (result.Flow is not { } flow)
            {
                continue;
            }

            if (environment is not null)
            {
                errors.AddRange(FlowEnvironmentValidator.Check(flow, environment));
            }

            if (flows.TryGetValue(flow.Name, out var first))
            {
                errors.Add(new FlowError(path, 1, 1, "flow", $"flow name '{flow.Name}' is already used by {first.File}; names must be unique"));
                continue;
            }

            flows[flow.Name] = flow;
        }

        var routes = LoadRoutes(directory, routesPath, flows, files.Length, errors);
        if (errors.Count > 0 || routes is null)
        {
            return new FlowSetLoadResult(null, errors);
        }

        return new FlowSetLoadResult(new FlowSet(flows, routes), []);
    }

    private static FlowRoutes? LoadRoutes(string directory, string? routesPath, Dictionary<string, FlowDefinition> flows, int fileCount, List<FlowError> errors)
    {
        if (routesPath is null)
        {
            if (flows.Count == 1)
            {
                return new FlowRoutes([], flows.Keys.First());
            }

            if (errors.Count == 0)
            {
                errors.Add(new FlowError(Path.Combine(directory, RoutesFileName), 1, 1, string.Empty, fileCount == 0
                    ? "no flows: expected at least one *.yaml flow file in the directory"
                    : $"missing {RoutesFileName}: with {flows.Count} flows, routes.yaml must say which answers which call (at least a default)"));
            }

            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(routesPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new FlowError(routesPath, 1, 1, string.Empty, $"cannot read the file: {ex.Message}"));
            return null;
        }

        return RoutesReader.Read(text, routesPath, flows.Keys.ToList(), errors);
    }
}
