using System.Text.RegularExpressions;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>The two kinds of name a flow file holds, checked where they are read.</summary>
internal static partial class FlowNamePatterns
{
    /// <summary>Flow and step names: letters, digits, '_' and '-', so they stay readable in logs, URLs and traces.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    public static partial Regex Name();

    /// <summary>Variable names: an identifier, so <c>vars.name</c> parses as an expression.</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    public static partial Regex Variable();
}
