using System.Text;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// Drops a reasoning model's thinking from streamed text: everything between <c>&lt;think&gt;</c> and
/// <c>&lt;/think&gt;</c> (Step-Audio-R1 / R1.1, DeepSeek-R1 and Qwen3 style). Tags may arrive split across chunks;
/// text that might be the start of a tag is held back until the next chunk decides. The caller never hears a thought.
/// </summary>
public sealed class ReasoningFilter
{
    private const string OpenTag = "<think>";
    private const string CloseTag = "</think>";

    private readonly StringBuilder _pending = new();
    private bool _thinking;

    /// <summary>Creates a filter; <paramref name="startsInReasoning"/> when the output opens inside the thinking.</summary>
    public ReasoningFilter(bool startsInReasoning = false) => _thinking = startsInReasoning;

    /// <summary>Whether the model is thinking at the end of what was fed so far.</summary>
    public bool IsThinking => _thinking;

    /// <summary>Feeds one streamed chunk; returns what may be spoken of it (possibly empty).</summary>
    public string Push(string chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        _pending.Append(chunk);
        var output = new StringBuilder();
        while (_pending.Length > 0)
        {
            var text = _pending.ToString();
            var tag = _thinking ? CloseTag : OpenTag;
            var at = text.IndexOf(tag, StringComparison.Ordinal);
            if (at >= 0)
            {
                if (!_thinking)
                {
                    output.Append(text, 0, at);
                }

                _pending.Remove(0, at + tag.Length);
                _thinking = !_thinking;
                continue;
            }

            // Keep back the longest tail that could still become the tag.
            var keep = PartialTagLength(text, tag);
            if (!_thinking)
            {
                output.Append(text, 0, text.Length - keep);
            }

            _pending.Remove(0, text.Length - keep);
            break;
        }

        return output.ToString();
    }

    /// <summary>Ends the stream: returns held-back text that turned out not to be a tag (nothing while thinking).</summary>
    public string Flush()
    {
        var rest = _thinking ? string.Empty : _pending.ToString();
        _pending.Clear();
        return rest;
    }

    private static int PartialTagLength(string text, string tag)
    {
        for (var length = Math.Min(tag.Length - 1, text.Length); length > 0; length--)
        {
            if (text.AsSpan(text.Length - length).SequenceEqual(tag.AsSpan(0, length)))
            {
                return length;
            }
        }

        return 0;
    }
}
