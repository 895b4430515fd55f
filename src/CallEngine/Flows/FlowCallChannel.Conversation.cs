using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;

namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>The <c>converse</c> verb on a call: handed to the call's <see cref="ConversationAgent"/>.</summary>
public sealed partial class FlowCallChannel : IConversationChannel
{
    /// <summary>The call's conversation agent; null when no model endpoint is configured.</summary>
    public ConversationAgent? Conversation { get; set; }

    /// <inheritdoc />
    public ValueTask<ConverseResult> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken) =>
        Conversation is { } agent
            ? agent.ConverseAsync(request, cancellationToken)
            : throw new FlowActionException("converse needs a model endpoint, and none is configured (Conversation:Endpoints:0:BaseUrl and :Model)");
}
