namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>CSeq: sequence number and method (RFC 3261 §20.16).</summary>
public readonly record struct CSeqHeader(uint Number, string Method)
{
    /// <summary>RFC 3261 §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer and less than 2**31.</summary>
    public const uint MaxNumber = (1u << 31) - 1;

    public static bool TryParse(ReadOnlySpan<byte> value, out CSeqHeader cseq)
    {
        cseq = default;
        var pos = 0;
        ulong number = 0;
        var digits = 0;
        while (pos < value.Length && value[pos] is >= (byte)'0' and <= (byte)'9')
        {
            number = (number * 10) + (uint)(value[pos] - '0');
            pos++;
            if (++digits > 10 && number != 0)
            {
                return false;
            }
        }

        if (digits == 0 || number > MaxNumber)
        {
            return false;
        }

        var lwsStart = pos;
        while (pos < value.Length && value[pos] is (byte)' ' or (byte)'\t')
        {
            pos++;
        }

        var method = value[pos..];
        if (pos == lwsStart || !SipGrammar.IsToken(method))
        {
            return false;
        }

        cseq = new CSeqHeader((uint)number, SipMethods.FromBytes(method));
        return true;
    }

    public override string ToString() => $"{Number} {Method}";
}
