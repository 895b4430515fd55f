using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Analytics.Outbox;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

/// <summary>
/// This test assembly doubles as a child process that appends to an outbox until it is killed, so a test can
/// SIGKILL a real writer: <c>dotnet StepAudio.Telephony.Analytics.Tests.dll outbox-writer &lt;dir&gt;</c>.
/// It accepts events 1, 2, 3, … of one call and delivers (peeks and removes) one after every third, printing
/// "accepted N" / "delivered N" only after the outbox call returned.
/// </summary>
internal static class OutboxWriterProcess
{
    public const string Command = "outbox-writer";

    public static int Main(string[] args)
    {
        if (args.Length != 2 || args[0] != Command)
        {
            Console.Error.WriteLine($"usage: {Command} <outbox directory>");
            return 2;
        }

        using var queue = new DiskCallEventQueue(
            OutboxTestSupport.Options(args[1], segmentBytes: 8 * 1024, maxBytes: 1L << 30),
            NullLogger<DiskCallEventQueue>.Instance,
            TimeProvider.System);
        for (var sequence = 1L; ; sequence++)
        {
            if (!queue.TryEnqueue(OutboxTestSupport.Speech("call-killed", sequence)))
            {
                return 1;
            }

            Console.WriteLine($"accepted {sequence}");
            if (sequence % 3 == 0 && queue.TryPeek(out var head))
            {
                queue.RemoveHead();
                Console.WriteLine($"delivered {head.Sequence}");
            }
        }
    }

    /// <summary>Starts the writer on <paramref name="directory"/>, with its standard output redirected.</summary>
    public static Process Start(string directory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(OutboxWriterProcess).Assembly.Location);
        start.ArgumentList.Add(Command);
        start.ArgumentList.Add(directory);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the outbox writer");
    }

    /// <summary>The number on the last line starting with <paramref name="verb"/>, or 0.</summary>
    public static long Last(IEnumerable<string> lines, string verb) =>
        lines.Where(l => l.StartsWith(verb + " ", StringComparison.Ordinal))
            .Select(l => long.Parse(l.AsSpan(verb.Length + 1), CultureInfo.InvariantCulture))
            .LastOrDefault();
}
