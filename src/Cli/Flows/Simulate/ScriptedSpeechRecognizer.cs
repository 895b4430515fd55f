using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// The recogniser of <c>simulate --words FILE</c>: the caller's words come from a script instead of a speech-to-text
/// server, so a flow that branches on what was said (or a text-input model endpoint) runs the same every time. Each
/// line of the script is what the next recognised turn said, in order; blank lines and lines starting with <c>#</c>
/// are skipped, a line <c>-</c> is a turn in which nothing was recognised, and turns after the last line have no words.
/// The audio of the turn (from <c>--wav</c>) still decides when turns begin and end.
/// </summary>
public sealed class ScriptedSpeechRecognizer : ISpeechRecognizer
{
    private readonly IReadOnlyList<string> _lines;
    private int _next;

    /// <summary>Creates the recogniser over the script's text.</summary>
    public ScriptedSpeechRecognizer(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _lines = [.. script.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line == "-" ? string.Empty : line)];
    }

    /// <summary>How many turns the script gives words for.</summary>
    public int Count => _lines.Count;

    /// <inheritdoc />
    public ValueTask<RecognitionResult> RecognizeAsync(ReadOnlyMemory<float> pcm16k, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var index = Interlocked.Increment(ref _next) - 1;
        var text = index < _lines.Count ? _lines[index] : string.Empty;
        return ValueTask.FromResult(new RecognitionResult(text, text.Length > 0 ? 1.0 : null, null));
    }
}
