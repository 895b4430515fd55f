using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.Cli.Flows.Validate;

/// <summary>What <c>validate</c> found over all its paths.</summary>
internal sealed class ValidationReport
{
    public List<FlowDefinition> Flows { get; } = [];

    public List<FlowError> Errors { get; } = [];

    public int Routes { get; set; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>"3 flows valid: support@ab12cd after-hours@9f00e1 ; routes: 3", or "2 errors in 1 file".</summary>
    public string Summary()
    {
        if (!IsValid)
        {
            var files = Errors.Select(e => e.File).Distinct(StringComparer.Ordinal).Count();
            return $"{Errors.Count} error{Plural(Errors.Count)} in {files} file{Plural(files)}";
        }

        var flows = string.Join(' ', Flows.Select(f => $"{f.Name}@{ShortVersion(f.Version)}"));
        return $"{Flows.Count} flow{Plural(Flows.Count)} valid: {flows} ; routes: {Routes}";
    }

    public static string ShortVersion(string version) => version.Length > 6 ? version[..6] : version;

    private static string Plural(int count) => count == 1 ? string.Empty : "s";
}
