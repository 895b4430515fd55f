namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>
/// Parses a text/event-stream the way a browser does (HTML Living Standard §9.2.6): fields until a blank line,
/// comment lines (starting with ':') ignored, default event name "message".
/// </summary>
internal sealed class ServerSentEventReader(Stream stream)
{
    private readonly StreamReader _reader = new(stream);

    public int CommentsSeen { get; private set; }

    public async Task<ServerSentEvent> ReadAsync(CancellationToken cancellationToken)
    {
        string? id = null;
        string? name = null;
        var data = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken)
                ?? throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return new ServerSentEvent(id, name ?? "message", string.Join('\n', data));
                }

                continue;
            }

            if (line[0] == ':')
            {
                CommentsSeen++;
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": data.Add(value); break;
            }
        }
    }

    /// <summary>Reads until an event named <paramref name="name"/> matching <paramref name="match"/> arrives.</summary>
    public async Task<ServerSentEvent> ReadUntilAsync(string name, Func<ServerSentEvent, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var next = await ReadAsync(cts.Token);
            if (next.Name == name && match(next))
            {
                return next;
            }
        }
    }
}
