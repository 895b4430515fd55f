using System.Text;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>A logger that keeps every message at every level, exception text included, to check what a log would hold.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly StringBuilder _text = new();

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_text)
        {
            _text.Append(formatter(state, exception)).Append(' ').Append(exception).Append('\n');
        }
    }
}
