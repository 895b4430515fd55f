using System.Diagnostics.CodeAnalysis;
using Microsoft.Win32.SafeHandles;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// The read side's I/O of <see cref="DiskCallEventQueue"/>: reads records back from their segment files through a
/// read-ahead buffer, checks their framing and CRC, and decodes them. Used by the queue's single reader only
/// (one reader by contract), so it takes no lock.
/// </summary>
internal sealed class OutboxRecordReader : IDisposable
{
    private const int ReadAheadBytes = 64 * 1024;

    private readonly string _directory;
    private readonly CallEventCodec _codec;
    private SafeFileHandle? _handle;
    private long _handleSegment = -1;
    private byte[] _buffer = new byte[ReadAheadBytes];
    private long _bufferSegment = -1;
    private int _bufferOffset;
    private int _bufferLength;

    public OutboxRecordReader(string directory, CallEventCodec codec)
    {
        _directory = directory;
        _codec = codec;
    }

    /// <summary>
    /// Reads and decodes the record at <paramref name="record"/>; false with a reason when it is damaged or cannot
    /// be decoded. Throws <see cref="IOException"/> only when the segment file itself cannot be read.
    /// </summary>
    public bool TryRead(OutboxRecordRef record, [MaybeNullWhen(false)] out ICallEvent callEvent, out string error)
    {
        var cached = IsBuffered(record);
        var bytes = cached ? BufferedBytes(record) : Fill(record);
        if (!OutboxRecord.TryValidate(bytes, out var length) && cached)
        {
            // The read-ahead may have caught a write that failed and was later overwritten; read it again.
            bytes = Fill(record);
        }

        if (!OutboxRecord.TryValidate(bytes, out length) || length != record.Length)
        {
            callEvent = null;
            error = "damaged record (framing or CRC mismatch)";
            return false;
        }

        if (_codec.TryDecode(bytes[OutboxRecord.HeaderLength..], out var decoded, out var decodeError))
        {
            callEvent = decoded!;
            error = string.Empty;
            return true;
        }

        callEvent = null;
        error = decodeError ?? "unreadable";
        return false;
    }

    /// <summary>
    /// Reads <paramref name="records"/> in order into <paramref name="window"/> up to the first one that cannot be
    /// read, which is left for the caller to deal with; returns how many were added.
    /// </summary>
    public int ReadWhileIntact(List<OutboxRecordRef> records, List<ICallEvent> window)
    {
        var added = 0;
        foreach (var record in records)
        {
            if (!TryRead(record, out var callEvent, out _))
            {
                break;
            }

            window.Add(callEvent);
            added++;
        }

        return added;
    }

    public void Dispose() => _handle?.Dispose();

    private bool IsBuffered(OutboxRecordRef record) =>
        record.Segment == _bufferSegment
        && record.Offset >= _bufferOffset
        && (long)record.Offset + record.Length <= (long)_bufferOffset + _bufferLength;

    private ReadOnlySpan<byte> BufferedBytes(OutboxRecordRef record) =>
        _buffer.AsSpan(record.Offset - _bufferOffset, record.Length);

    /// <summary>Reads from the record onwards, as much as the read-ahead buffer holds; appended bytes never change.</summary>
    private ReadOnlySpan<byte> Fill(OutboxRecordRef record)
    {
        if (_handle is null || _handleSegment != record.Segment)
        {
            _handle?.Dispose();
            _handle = null;
            _handle = File.OpenHandle(OutboxSegments.PathOf(_directory, record.Segment), FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete);
            _handleSegment = record.Segment;
        }

        if (_buffer.Length < record.Length)
        {
            _buffer = new byte[record.Length];
        }

        var handle = _handle;
        var filled = 0;
        while (filled < record.Length)
        {
            var read = RandomAccess.Read(handle, _buffer.AsSpan(filled), record.Offset + filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        _bufferSegment = record.Segment;
        _bufferOffset = record.Offset;
        _bufferLength = filled;
        return _buffer.AsSpan(0, Math.Min(filled, record.Length));
    }
}
