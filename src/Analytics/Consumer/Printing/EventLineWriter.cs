using System.Text.Encodings.Web;
using System.Text.Json;

namespace StepAudio.Telephony.Analytics.Consumer.Printing;

/// <summary>
/// Writes one line per event, <c>&lt;EventType&gt; &lt;json&gt;</c>, to stdout and flushes it, so a script can
/// read events as they arrive. Logs go to stderr; nothing else may write to stdout.
/// </summary>
internal sealed class EventLineWriter
{
    // People read these lines: "+15551234", not "\u002B15551234". The default encoder escapes for HTML pages, which
    // this output never is; the unsafe-relaxed one still escapes what JSON itself requires (quotes, control characters).
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter _output;
    private readonly Lock _gate = new();

    public EventLineWriter(TextWriter output) => _output = output;

    public void Write(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        var line = type.Name + " " + JsonSerializer.Serialize(message, type, JsonOptions);
        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }
}
