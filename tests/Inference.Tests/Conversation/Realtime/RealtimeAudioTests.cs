using StepAudio.Telephony.Inference.Conversation.Realtime;

namespace StepAudio.Telephony.Inference.Tests.Conversation.Realtime;

/// <summary>The session's audio format both ways: G.711 µ-law at 8 kHz.</summary>
public sealed class RealtimeAudioTests
{
    [Fact]
    public void A_turn_at_16_kHz_becomes_mulaw_at_8_kHz_and_reply_mulaw_decodes_to_the_same_tone()
    {
        var tone = Enumerable.Range(0, 16_000).Select(i => 0.25f * MathF.Sin(2 * MathF.PI * 400 * i / 16_000)).ToArray();

        var encoded = RealtimeAudio.WavToMuLaw(Inference.Audio.WavCodec.Encode(tone, 16_000));
        var decoded = RealtimeAudio.ToTelephone(encoded);

        Assert.Equal(8000, encoded.Length);
        var rms = Math.Sqrt(decoded.Skip(100).Take(7800).Average(s => (double)s * s)) / 32768;
        Assert.InRange(rms, 0.25 / Math.Sqrt(2) * 0.9, 0.25 / Math.Sqrt(2) * 1.1); // G.711 keeps the level within a few percent
    }
}
