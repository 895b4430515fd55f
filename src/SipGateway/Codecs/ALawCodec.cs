using System.Numerics;

namespace StepAudio.Telephony.SipGateway.Codecs;

/// <summary>
/// ITU-T G.711 A-law (RTP payload type 8, <c>PCMA</c>). Works on the top 13 bits of the 16-bit sample, as the
/// Sun/CCITT reference implementation (and SoX) do, so results are bit-exact with <c>sox -e a-law</c>.
/// </summary>
public sealed class ALawCodec : G711Codec
{
    // Declared before Instance: static initialisers run in text order and the constructor reads this table.
    private static readonly short[] DecodeTable = BuildDecodeTable();

    /// <summary>The shared instance; the codec has no state.</summary>
    public static ALawCodec Instance { get; } = new();

    // G.711 §3.3: even bits are inverted on the line to keep the code density of idle channels high.
    private const int EvenBitInversion = 0x55;

    private ALawCodec()
        : base(DecodeSample, EncodeSample, significantShift: 3)
    {
    }

    /// <inheritdoc />
    public override string EncodingName => "PCMA";

    /// <inheritdoc />
    public override int PayloadType => 8;

    /// <summary>Encodes one 16-bit linear sample.</summary>
    public static byte EncodeSample(short sample)
    {
        int value = sample >> 3;
        int mask;
        if (value >= 0)
        {
            mask = 0x80 | EvenBitInversion;
        }
        else
        {
            // One's complement keeps A-law symmetric around zero (G.711 has no negative zero distinction issue).
            value = ~value;
            mask = EvenBitInversion;
        }

        // Segment 0 and 1 share a step size; segment s >= 1 covers [2^(s+4), 2^(s+5)).
        int segment = value < 32 ? 0 : BitOperations.Log2((uint)value) - 4;
        int mantissa = segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(((segment << 4) | mantissa) ^ mask);
    }

    /// <summary>Decodes one A-law code word.</summary>
    public static short DecodeSample(byte code) => DecodeTable[code];

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (var i = 0; i < table.Length; i++)
        {
            int a = i ^ EvenBitInversion;
            int t = (a & 0x0F) << 4;
            int segment = (a & 0x70) >> 4;
            t = segment switch
            {
                0 => t + 8,
                1 => t + 0x108,
                _ => (t + 0x108) << (segment - 1),
            };
            table[i] = (short)((a & 0x80) != 0 ? t : -t);
        }

        return table;
    }
}
