using Microsoft.Extensions.AI;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>Turns streamed updates into reply parts: thinking removed, text cut into sentences, tool calls mapped.</summary>
internal sealed class ReplyReader(string endpoint, bool startsInReasoning, ConversationRequest request)
{
    private readonly ReasoningFilter _reasoning = new(startsInReasoning);
    private readonly SentenceSplitter _sentences = new();

    public IEnumerable<ReplyPart> Read(ChatResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextReasoningContent:
                    // Reasoning a server returns separately (vLLM's reasoning parser) is never spoken.
                    break;
                case TextContent text when text.Text is { Length: > 0 }:
                    foreach (var sentence in _sentences.Push(_reasoning.Push(text.Text)))
                    {
                        yield return new ReplyPart(ReplyPartKind.Sentence, endpoint, sentence);
                    }

                    break;
                case DataContent data when data.HasTopLevelMediaType("audio"):
                    var words = data.AdditionalProperties?.TryGetValue(Realtime.RealtimeResponseReader.WordsKey, out var said) == true ? said as string : null;
                    yield return new ReplyPart(ReplyPartKind.Audio, endpoint, data.MediaType, data.Data, Words: words);
                    break;
                case FunctionCallContent call:
                    yield return ConversationTools.TryMap(call, request.AllowedActions, request.Steps, out var action, out var rejection)
                        ? new ReplyPart(ReplyPartKind.Action, endpoint, Action: action, ToolCall: call)
                        : new ReplyPart(ReplyPartKind.RejectedToolCall, endpoint, rejection, ToolCall: call);
                    break;
            }
        }
    }

    public IEnumerable<ReplyPart> Finish()
    {
        foreach (var sentence in _sentences.Push(_reasoning.Flush()))
        {
            yield return new ReplyPart(ReplyPartKind.Sentence, endpoint, sentence);
        }

        if (_sentences.Flush() is { } last)
        {
            yield return new ReplyPart(ReplyPartKind.Sentence, endpoint, last);
        }
    }
}
