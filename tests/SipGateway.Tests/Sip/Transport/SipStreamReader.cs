using System.Text;
using System.Text.RegularExpressions;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

/// <summary>Splits a stream into SIP messages by their Content-Length (RFC 3261 §18.3).</summary>
internal sealed partial class SipStreamReader(Stream stream, TimeSpan timeout)
{
    private readonly List<byte> _buffer = [];

    public async Task<SipMessage> NextAsync()
    {
        using var deadline = new CancellationTokenSource(timeout);
        var chunk = new byte[4096];
        while (true)
        {
            if (TryTake() is { } message)
            {
                var parsed = SipMessageParser.Parse(message);
                Assert.True(parsed.Success, parsed.Success ? null : parsed.Error.Reason);
                return parsed.Message;
            }

            var read = await stream.ReadAsync(chunk, deadline.Token);
            Assert.True(read > 0, "The gateway closed the TLS connection");
            _buffer.AddRange(chunk.AsSpan(0, read));
        }
    }

    private byte[]? TryTake()
    {
        var text = Encoding.ASCII.GetString([.. _buffer]);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var length = ContentLength().Match(text[..end]) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var total = end + 4 + length;
        if (_buffer.Count < total)
        {
            return null;
        }

        var message = _buffer.GetRange(0, total).ToArray();
        _buffer.RemoveRange(0, total);
        return message;
    }

    [GeneratedRegex(@"(?im)^(?:Content-Length|l)\s*:\s*(\d+)")]
    private static partial Regex ContentLength();
}
