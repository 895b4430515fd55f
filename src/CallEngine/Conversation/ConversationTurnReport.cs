using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// Publishes the <c>ConversationTurn</c> event of one model turn: its timings from the end of the caller's speech,
/// the endpoint that answered and how many were tried, what the caller heard and the action taken (never words).
/// </summary>
internal sealed class ConversationTurnReport(EngineCall call, ConversationModelClient client)
{
    public void Publish(string step, int turn, TimeSpan speechEnd, TimeSpan decidedAt, ReplyOutcome reply, ConversationAction? action, ModelTurnInput callerTurn, double segmentEnd)
    {
        static double Since(TimeSpan at, TimeSpan origin) => Math.Round((at - origin).TotalSeconds, 3);
        var endpoints = client.Endpoints;
        var index = reply.Endpoint is null ? -1 : endpoints.ToList().FindIndex(e => e.Options.DisplayName == reply.Endpoint);
        var attempts = index >= 0 ? index + 1 : endpoints.Count;
        var input = index >= 0 && endpoints[index].Options.Input == ConversationInputMode.Text ? "text" : callerTurn.Audio.IsEmpty ? "text" : "audio";
        call.Conversation.PublishTurn((id, callId, sequence, at) => new ConversationTurn(
            id, callId, sequence, at, step, turn, input, segmentEnd,
            Since(decidedAt, speechEnd), Since(reply.RequestSentAt, speechEnd),
            reply.FirstTokenAt is { } token ? Since(token, speechEnd) : null,
            reply.FirstPacketAt is { } packet ? Since(packet, speechEnd) : null,
            reply.Endpoint, attempts, reply.Outcome, Math.Round(reply.HeardDuration.TotalSeconds, 3), reply.FillerPlayed,
            action?.ToolName, reply.EarlyRequest));
    }
}
