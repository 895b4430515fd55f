using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>
/// The latest seconds of one call's 16 kHz caller audio, addressed by sample index since the call began, so that a
/// span can be copied out once the VAD has decided where it was. Bounded and in memory only (privacy: caller audio
/// is never kept longer than the longest span it may be needed for). One owner, not thread-safe.
/// </summary>
internal sealed class AudioHistory(int capacity)
{
    // 16-bit, not float: half the memory per call, and the audio came from 8- or 14-bit G.711/G.722 anyway.
    private short[]? _ring;

    /// <summary>Samples written since the call began.</summary>
    public long Written { get; private set; }

    public void Append(ReadOnlySpan<float> samples)
    {
        // Allocated on first audio, not when the call is offered: calls that never send audio cost nothing.
        _ring ??= new short[capacity];
        while (!samples.IsEmpty)
        {
            var at = (int)(Written % capacity);
            var n = Math.Min(samples.Length, capacity - at);
            PcmConversion.ToPcm16(samples[..n], _ring.AsSpan(at, n));
            samples = samples[n..];
            Written += n;
        }
    }

    /// <summary>
    /// Copies samples <c>[start, end)</c> into <paramref name="destination"/>, clipped to what is still held; returns the
    /// first sample copied and how many.
    /// </summary>
    public (long Start, int Count) CopyTo(long start, long end, Span<float> destination)
    {
        end = Math.Min(end, Written);
        start = Math.Max(start, Math.Max(0, Math.Max(Written - capacity, end - destination.Length)));
        if (_ring is null || end <= start)
        {
            return (start, 0);
        }

        var count = (int)(end - start);
        for (var copied = 0; copied < count;)
        {
            var at = (int)((start + copied) % capacity);
            var n = Math.Min(count - copied, capacity - at);
            PcmConversion.ToFloat(_ring.AsSpan(at, n), destination.Slice(copied, n));
            copied += n;
        }

        return (start, count);
    }
}
