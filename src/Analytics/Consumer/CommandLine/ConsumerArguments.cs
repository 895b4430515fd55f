using System.Globalization;

namespace StepAudio.Telephony.Analytics.Consumer.CommandLine;

/// <summary>Command line of the event printer.</summary>
internal sealed record ConsumerArguments(
    string QueueName,
    int? ExitAfterCallEnded,
    TimeSpan? Timeout,
    string? CallId = null,
    bool Transient = false)
{
    public const string DefaultQueueName = "stepaudio-event-printer";

    public const string Usage =
        "usage: StepAudio.Telephony.Analytics.Consumer [--queue NAME] [--transient] [--call-id ID] [--exit-after-call-ended N] [--timeout SECONDS]";

    public static bool TryParse(IReadOnlyList<string> args, out ConsumerArguments arguments, out string error)
    {
        var queue = DefaultQueueName;
        int? exitAfter = null;
        TimeSpan? timeout = null;
        string? callId = null;
        var transient = false;
        arguments = new ConsumerArguments(queue, exitAfter, timeout);
        error = string.Empty;

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--transient")
            {
                // A queue that lives only as long as this process: watching must not leave a queue behind
                // that collects every future event.
                transient = true;
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"missing value for '{name}'";
                return false;
            }

            var value = args[++i];
            switch (name)
            {
                case "--queue" when !string.IsNullOrWhiteSpace(value):
                    queue = value;
                    break;
                case "--exit-after-call-ended"
                    when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    exitAfter = n;
                    break;
                case "--timeout"
                    when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0:
                    timeout = TimeSpan.FromSeconds(s);
                    break;
                case "--call-id" when !string.IsNullOrWhiteSpace(value):
                    callId = value;
                    break;
                case "--queue" or "--exit-after-call-ended" or "--timeout" or "--call-id":
                    error = $"invalid value '{value}' for '{name}'";
                    return false;
                default:
                    error = $"unknown argument '{name}'";
                    return false;
            }
        }

        arguments = new ConsumerArguments(queue, exitAfter, timeout, callId, transient);
        return true;
    }
}
