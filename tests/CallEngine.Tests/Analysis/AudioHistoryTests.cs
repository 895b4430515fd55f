using StepAudio.Telephony.CallEngine.Analysis;

namespace StepAudio.Telephony.CallEngine.Tests.Analysis;

public sealed class AudioHistoryTests
{
    // Sample i is i/32768: each value is exact in the history's 16-bit storage, so order and identity can be checked.
    private static float[] Ramp(int from, int count) => Enumerable.Range(from, count).Select(i => i / 32768f).ToArray();

    [Fact]
    public void A_span_across_the_ring_wrap_comes_back_in_order()
    {
        var history = new AudioHistory(capacity: 100);
        history.Append(Ramp(0, 70));
        history.Append(Ramp(70, 60)); // wraps: samples 100–129 overwrite 0–29

        var destination = new float[50];
        var (start, count) = history.CopyTo(75, 125, destination);

        Assert.Equal(75, start);
        Assert.Equal(50, count);
        Assert.Equal(Ramp(75, 50), destination);
    }

    [Fact]
    public void Audio_no_longer_held_or_beyond_the_buffer_is_clipped()
    {
        var history = new AudioHistory(capacity: 100);
        history.Append(Ramp(0, 250));

        // Only 150–249 is still held.
        var destination = new float[300];
        var (start, count) = history.CopyTo(10, 400, destination);
        Assert.Equal(150, start);
        Assert.Equal(100, count);
        Assert.Equal(Ramp(150, 100), destination[..100]);

        // A span longer than the destination keeps its end (the latest audio).
        var small = new float[20];
        var (smallStart, smallCount) = history.CopyTo(160, 240, small);
        Assert.Equal(220, smallStart);
        Assert.Equal(20, smallCount);
        Assert.Equal(Ramp(220, 20), small);
    }

    [Fact]
    public void Samples_are_kept_to_16_bit_precision_and_saturate_at_full_scale()
    {
        var history = new AudioHistory(capacity: 8);
        history.Append([0.5f, -0.25f, 0.123456f, 1.5f, -2f]);

        var destination = new float[5];
        history.CopyTo(0, 5, destination);

        Assert.Equal([0.5f, -0.25f], destination[..2]);
        Assert.InRange(destination[2], 0.123456f - (0.5f / 32768), 0.123456f + (0.5f / 32768));
        Assert.Equal(32767 / 32768f, destination[3]);
        Assert.Equal(-1f, destination[4]);
    }
}
