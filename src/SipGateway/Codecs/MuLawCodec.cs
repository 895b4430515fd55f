using System.Numerics;

namespace StepAudio.Telephony.SipGateway.Codecs;

/// <summary>
/// ITU-T G.711 µ-law (RTP payload type 0, <c>PCMU</c>). The 16-bit ↔ 14-bit mapping follows the widely used
/// Sun/CCITT reference implementation (also used by SoX), so results are bit-exact with <c>sox -e u-law</c>.
/// </summary>
public sealed class MuLawCodec : G711Codec
{
    // Declared before Instance: static initialisers run in text order and the constructor reads this table.
    private static readonly short[] DecodeTable = BuildDecodeTable();

    /// <summary>The shared instance; the codec has no state.</summary>
    public static MuLawCodec Instance { get; } = new();

    // G.711 µ-law adds a bias of 33 (in 14-bit units) so that every segment starts at a power of two.
    private const int Bias14 = 0x21;
    private const int Clip14 = 8159;

    private MuLawCodec()
        : base(DecodeSample, EncodeSample, significantShift: 2)
    {
    }

    /// <inheritdoc />
    public override string EncodingName => "PCMU";

    /// <inheritdoc />
    public override int PayloadType => 0;

    /// <summary>Encodes one 16-bit linear sample.</summary>
    public static byte EncodeSample(short sample)
    {
        // Arithmetic shift to 14 bits, as the reference coder does (negative values round toward -infinity).
        int value = sample >> 2;
        int mask;
        if (value < 0)
        {
            value = -value;
            mask = 0x7F;
        }
        else
        {
            mask = 0xFF;
        }

        value = Math.Min(value, Clip14) + Bias14;

        // After biasing, segment s covers [2^(s+5), 2^(s+6)); the clip value lands exactly on 2^13 (top code).
        int segment = BitOperations.Log2((uint)value) - 5;
        if (segment > 7)
        {
            return (byte)(0x7F ^ mask);
        }

        int code = (segment << 4) | ((value >> (segment + 1)) & 0x0F);
        return (byte)(code ^ mask);
    }

    /// <summary>Decodes one µ-law code word.</summary>
    public static short DecodeSample(byte code) => DecodeTable[code];

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (var i = 0; i < table.Length; i++)
        {
            // Code words are transmitted inverted (G.711 §3.2) so that silence is not a run of zeros.
            int u = ~i & 0xFF;
            int t = (((u & 0x0F) << 3) + (Bias14 << 2)) << ((u & 0x70) >> 4);
            table[i] = (short)((u & 0x80) != 0 ? (Bias14 << 2) - t : t - (Bias14 << 2));
        }

        return table;
    }
}
