using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Flows.Validation;

/// <summary>
/// A flow that uses <c>converse</c> is only valid where a model endpoint is configured: without one every such call
/// would fail at that step, so the gateway refuses the flow at start (and at reload) with the step and the setting
/// to add.
/// </summary>
public static class ConverseAvailability
{
    /// <summary>The message, naming the settings an operator adds.</summary>
    public const string Message =
        "converse needs a model endpoint, and none is configured: set Conversation:Endpoints:0:BaseUrl and Conversation:Endpoints:0:Model " +
        "(environment Conversation__Endpoints__0__BaseUrl, …); see README, Conversation";

    /// <summary>One error per <c>converse</c> step when <paramref name="endpointConfigured"/> is false.</summary>
    public static IReadOnlyList<FlowError> Check(IEnumerable<FlowDefinition> flows, bool endpointConfigured)
    {
        ArgumentNullException.ThrowIfNull(flows);
        if (endpointConfigured)
        {
            return [];
        }

        return
        [
            .. flows.SelectMany(flow => flow.Steps.Values.OfType<ConverseStep>())
                .Select(step => new FlowError(step.Location.File, step.Location.Line, step.Location.Column, $"steps.{step.Name}.converse", Message))
                .OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line),
        ];
    }
}
