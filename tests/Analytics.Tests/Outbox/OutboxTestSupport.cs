using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Analytics.Outbox;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

/// <summary>Opening outboxes on test folders, making events, and reading what an outbox holds.</summary>
internal static class OutboxTestSupport
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public static OutboxOptions Options(string directory, long segmentBytes = 1024, long maxBytes = 1024 * 1024) =>
        new() { Directory = directory, SegmentBytes = segmentBytes, MaxBytes = maxBytes };

    public static DiskCallEventQueue Open(OutboxOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        new(options, (loggers ?? NullLoggerFactory.Instance).CreateLogger<DiskCallEventQueue>(), time ?? TimeProvider.System);

    /// <summary>A small event whose record equality survives the JSON round trip.</summary>
    public static SpeechSegmentDetected Speech(string callId, long sequence) =>
        new(Guid.NewGuid(), callId, sequence, T0.AddMilliseconds(sequence * 10), sequence * 0.5, (sequence * 0.5) + 0.25, 0.25);

    public static List<ICallEvent> Speeches(string callId, int count) =>
        [.. Enumerable.Range(1, count).Select(i => Speech(callId, i))];

    public static void EnqueueAll(DiskCallEventQueue queue, IEnumerable<ICallEvent> events)
    {
        foreach (var callEvent in events)
        {
            Assert.True(queue.TryEnqueue(callEvent), $"event {callEvent.Sequence} of {callEvent.CallId} refused");
        }
    }

    /// <summary>Takes up to <paramref name="max"/> events the way the delivery loop does: peek, then remove.</summary>
    public static List<ICallEvent> Take(DiskCallEventQueue queue, int max = int.MaxValue)
    {
        var taken = new List<ICallEvent>();
        while (taken.Count < max && queue.TryPeek(out var head))
        {
            taken.Add(head);
            queue.RemoveHead();
        }

        return taken;
    }

    /// <summary>
    /// What the disk holds if the process died now: the files as the kernel has them, without the lock file
    /// (the kernel drops a dead process's lock).
    /// </summary>
    public static void CopyCrashImage(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            if (Path.GetFileName(file) != "outbox.lock")
            {
                using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var target = File.Create(Path.Combine(to, Path.GetFileName(file)));
                source.CopyTo(target);
            }
        }
    }

    public static string[] SegmentFiles(string directory) =>
        [.. Directory.GetFiles(directory, "outbox-*.log").Order(StringComparer.Ordinal)];

    /// <summary>Start offsets of the records in a segment, found by walking the documented framing.</summary>
    public static List<int> RecordOffsets(byte[] segment)
    {
        var offsets = new List<int>();
        var offset = 0;
        while (offset + 12 <= segment.Length)
        {
            offsets.Add(offset);
            offset += 12 + BitConverter.ToInt32(segment, offset + 4);
        }

        return offsets;
    }
}
