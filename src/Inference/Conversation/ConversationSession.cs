using System.Globalization;
using Microsoft.Extensions.AI;
using StepAudio.Telephony.Inference.Audio;
using StepAudio.Telephony.Inference.Conversation.CallerState;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// One conversation's history and the requests built from it. Each caller turn goes to an audio endpoint as the
/// caller-state block plus a 16 kHz WAV part, and to a text endpoint as the block plus the recognised words. After
/// the turn, only what the caller actually heard of the reply is kept (an interruption cuts it), so the model never
/// believes it said something the caller did not hear. Audio of older turns is replaced by their words (or a note)
/// to keep requests small.
/// </summary>
public sealed class ConversationSession
{
    private const int SampleRate = 16_000;
    private const string WordsKey = "stepaudio.words";
    private readonly List<ChatMessage> _history = [];
    private readonly string _system;
    private readonly ChatOptions _chatOptions;
    private readonly IReadOnlyCollection<ConversationActionKind> _allowed;
    private readonly IReadOnlyCollection<string> _steps;
    private readonly int _audioTurnsKept;

    /// <summary>Creates a session for a step's instructions and allowed actions.</summary>
    /// <param name="instructions">The step's instructions (and goal).</param>
    /// <param name="allowed">The actions the model may take.</param>
    /// <param name="steps">The steps <c>goto_step</c> may name.</param>
    /// <param name="maxOutputTokens">Longest reply asked for.</param>
    /// <param name="audioTurnsKept">How many of the latest caller turns keep their audio in the history (the current one always does).</param>
    public ConversationSession(string instructions, IReadOnlyCollection<ConversationActionKind> allowed, IReadOnlyCollection<string> steps, int maxOutputTokens = 400, int audioTurnsKept = 2)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        ArgumentNullException.ThrowIfNull(allowed);
        ArgumentNullException.ThrowIfNull(steps);
        _allowed = allowed;
        _steps = steps;
        _audioTurnsKept = Math.Max(1, audioTurnsKept);
        _system = instructions.Trim() + "\n\n" +
            "You are speaking with a caller on the telephone. Answer in short spoken sentences without lists, markup or emoji. " +
            "Use the tools to act; say a short sentence before an action that ends the call or hands it over.\n\n" +
            CallerContextFormatter.Guidance;
        _chatOptions = new ChatOptions
        {
            Tools = ConversationTools.Declare(allowed, steps),
            MaxOutputTokens = maxOutputTokens,
            ToolMode = allowed.Count > 0 ? ChatToolMode.Auto : null,
        };
    }

    /// <summary>The conversation's Realtime sessions, when an endpoint speaks the Realtime API (the caller owns and disposes them).</summary>
    public Realtime.RealtimeConversation? Realtime { get; init; }

    /// <summary>The history so far (system prompt first), for traces and tests.</summary>
    public IReadOnlyList<ChatMessage> History => [new ChatMessage(ChatRole.System, _system), .. _history];

    /// <summary>Assistant lines spoken so far without a caller turn (the greeting).</summary>
    public void AddSpoken(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        _history.Add(new ChatMessage(ChatRole.Assistant, text));
    }

    /// <summary>The request for <paramref name="turn"/>: messages per endpoint input, tools and limits.</summary>
    public ConversationRequest Request(ModelTurnInput turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var block = CallerContextFormatter.Format(turn.Context);
        byte[]? wav = null;
        return new ConversationRequest(
            endpoint =>
            {
                ChatMessage user;
                if (endpoint.Input == ConversationInputMode.Audio && !turn.Audio.IsEmpty)
                {
                    wav ??= WavCodec.Encode(turn.Audio.Span, SampleRate);
                    user = new ChatMessage(ChatRole.User, [new TextContent(block), new DataContent(wav, "audio/wav")]);
                }
                else if (turn.Words is { Length: > 0 } words)
                {
                    user = new ChatMessage(ChatRole.User, block + "\nThe caller said: " + words);
                }
                else if (turn.Audio.IsEmpty)
                {
                    // A turn of keys only: the block carries them.
                    user = new ChatMessage(ChatRole.User, block);
                }
                else
                {
                    return null;
                }

                return [new ChatMessage(ChatRole.System, _system), .. _history, user];
            },
            _chatOptions,
            _allowed,
            _steps)
        {
            Realtime = Realtime,
        };
    }

    /// <summary>
    /// Records a finished turn: the caller's part (audio kept for the latest turns only), what the caller heard of the
    /// reply (marked when they interrupted), and the tool calls with their results, so the model knows what happened.
    /// A Realtime session that answered is told the same (<see cref="Realtime.RealtimeConversation.AfterTurn"/>): its
    /// audio item cut to <paramref name="heardAudio"/> when the caller interrupted, and the tool results.
    /// </summary>
    public void Commit(ModelTurnInput turn, string heard, bool interrupted, IReadOnlyList<ReplyPart> toolCalls, TimeSpan heardAudio = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(heard);
        ArgumentNullException.ThrowIfNull(toolCalls);
        var block = CallerContextFormatter.Format(turn.Context);
        var user = turn.Audio.IsEmpty
            ? new ChatMessage(ChatRole.User, block)
            : new ChatMessage(ChatRole.User, [new TextContent(block), new DataContent(WavCodec.Encode(turn.Audio.Span, SampleRate), "audio/wav")]);
        if (turn.Words is { Length: > 0 } words)
        {
            // Kept beside the audio so the turn can fall back to its words once its audio is dropped.
            user.AdditionalProperties = new AdditionalPropertiesDictionary { [WordsKey] = words };
        }

        _history.Add(user);
        var said = heard.Trim();
        if (interrupted)
        {
            said = (said.Length == 0 ? string.Empty : said + " ") + "[interrupted by the caller here; the rest was not heard]";
        }

        var assistant = new List<AIContent>();
        if (said.Length > 0)
        {
            assistant.Add(new TextContent(said));
        }

        foreach (var part in toolCalls)
        {
            if (part.ToolCall is { } call)
            {
                assistant.Add(new FunctionCallContent(call.CallId, call.Name, call.Arguments));
            }
        }

        if (assistant.Count > 0)
        {
            _history.Add(new ChatMessage(ChatRole.Assistant, assistant));
        }

        var results = toolCalls.Where(p => p.ToolCall is not null)
            .Select(p => (AIContent)new FunctionResultContent(p.ToolCall!.CallId, p.Kind == ReplyPartKind.Action ? "done" : "error: " + p.Text))
            .ToList();
        if (results.Count > 0)
        {
            _history.Add(new ChatMessage(ChatRole.Tool, results));
        }

        Realtime?.AfterTurn(interrupted, heardAudio, toolCalls);
        PruneAudio();
    }

    private void PruneAudio()
    {
        var audioTurns = _history.Select((m, i) => (m, i)).Where(x => x.m.Role == ChatRole.User && x.m.Contents.OfType<DataContent>().Any()).Select(x => x.i).ToList();
        foreach (var index in audioTurns.Take(Math.Max(0, audioTurns.Count - _audioTurnsKept)))
        {
            var text = string.Concat(_history[index].Contents.OfType<TextContent>().Select(t => t.Text));
            var words = _history[index].AdditionalProperties?.TryGetValue(WordsKey, out var w) == true ? w as string : null;
            _history[index] = new ChatMessage(ChatRole.User, text + "\n" + (words is { Length: > 0 } ? "The caller said: " + words : "(the caller's audio of this earlier turn is no longer attached)"));
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"conversation with {_history.Count} messages");
}
