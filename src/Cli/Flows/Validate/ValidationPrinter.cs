using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.Cli.Flows.Validate;

/// <summary>Prints flow errors the one way every command does: <c>file:line:column: field: message</c>, in file order.</summary>
internal static class ValidationPrinter
{
    public static void PrintErrors(IEnumerable<FlowError> errors, TextWriter output)
    {
        foreach (var error in Ordered(errors))
        {
            output.WriteLine(error.ToString());
        }
    }

    public static IEnumerable<FlowError> Ordered(IEnumerable<FlowError> errors) =>
        errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column);
}
