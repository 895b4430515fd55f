using System.Text;
using CsCheck;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Parsing;

/// <summary>
/// Property tests (CsCheck): generated messages survive parse → serialise → parse unchanged, and the parser never
/// throws, whatever the bytes. CsCheck prints the seed of a failing case so it can be replayed with seed: "...".
/// </summary>
public sealed class SipMessageRoundTripProperties
{
    private const string TokenChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~";
    private const string UserChars = "abcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()&=+$,;?/";

    private static readonly Gen<string> Token = Gen.Char[TokenChars].Array[1, 12].Select(c => new string(c));

    // RFC 3261 §25.1 user = 1*( unreserved / escaped / user-unreserved ); escapes such as %20 and %41 included.
    private static readonly Gen<string> User = Gen.OneOf(
        Gen.Char[UserChars].Array[1, 10].Select(c => new string(c)),
        Gen.Select(Gen.Char["abcxyz"].Array[1, 4], Gen.Byte[0x20, 0x7e], (c, b) => new string(c) + "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private static readonly Gen<string> Host = Gen.OneOf(
        Gen.Select(Gen.Byte, Gen.Byte, (a, b) => $"10.{a}.{b}.1"),
        Gen.Const("[2001:db8::1]"),
        Gen.Select(Token.Where(t => char.IsAsciiLetter(t[0]) && !t.Contains('%', StringComparison.Ordinal) && !t.EndsWith('-')), t => t.Replace('_', 'x').Replace('!', 'x').Replace('*', 'x').Replace('+', 'x').Replace('`', 'x').Replace('\'', 'x').Replace('~', 'x').Replace('.', 'x') + ".example.com"));

    private static readonly Gen<string> SipUri = Gen.Select(Gen.OneOf("sip", "sips"), User, Host, Gen.Int[0, 65535], Gen.Bool,
        (scheme, user, host, port, transport) => $"{scheme}:{user}@{host}" + (port > 0 ? ":" + port : string.Empty) + (transport ? ";transport=udp" : string.Empty));

    private static readonly Gen<string> Method = Gen.OneOf(Gen.OneOf("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO", "NOTIFY"), Token);

    private static readonly Gen<string> DisplayName = Gen.OneOf(
        Gen.Const(string.Empty),
        Gen.Char["abc XYZ.-"].Array[1, 10].Select(c => "\"" + new string(c) + "\" "));

    private static readonly Gen<string> NameAddr = Gen.Select(DisplayName, SipUri, Token, (d, u, t) => $"{d}<{u}>;tag={t}");

    private static readonly Gen<byte[]> Body = Gen.OneOf(Gen.Const(Array.Empty<byte>()), Gen.Byte.Array[1, 300]);

    /// <summary>A header: name in long or compact form (RFC 3261 §7.3.3) and a valid value.</summary>
    private static Gen<string> Header(string longName, string? compact, Gen<string> value) =>
        Gen.Select(compact is null ? Gen.Const(longName) : Gen.OneOf(longName, compact), value, (n, v) => $"{n}: {v}\r\n");

    private static readonly Gen<string> Via = Header("Via", "v",
        Gen.Select(Host, Gen.Int[1, 65535], Token, (h, p, b) => $"SIP/2.0/UDP {h}:{p};branch=z9hG4bK{b}"));

    private static readonly Gen<string> Optional = Gen.OneOf(
        Header("Subject", "s", Gen.Char["abc def,;:=\"<>"].Array[1, 20].Select(c => new string(c).Trim() is { Length: > 0 } s ? s : "x")),
        Header("Contact", "m", SipUri.Select(u => $"<{u}>")),
        Header("Supported", "k", Token),
        Header("User-Agent", null, Token),
        Gen.Select(Token, Token, (n, v) => $"X-{n}: {v}\r\n"));

    private static readonly Gen<(string Text, string Method, string Uri, byte[] Body)> Request =
        Gen.Select(Method, SipUri, Via.Array[1, 4], NameAddr, SipUri, Gen.Select(Token, Gen.Int[0, 255], Gen.UInt[0, 99999], (c, m, s) => (c, m, s)), Optional.Array[0, 5], Body)
            .Select((method, uri, vias, from, to, ids, extra, body) =>
            {
                var (callId, maxForwards, cseq) = ids;
                var text = new StringBuilder($"{method} {uri} SIP/2.0\r\n")
                    .Append(string.Concat(vias))
                    .Append($"Max-Forwards: {maxForwards}\r\nFrom: {from}\r\nt: <{to}>\r\ni: {callId}@host\r\nCSeq: {cseq} {method}\r\n")
                    .Append(string.Concat(extra))
                    .Append(body.Length > 0 ? "c: application/octet-stream\r\n" : string.Empty)
                    .Append($"l: {body.Length}\r\n\r\n")
                    .ToString();
                return (text, method, uri, body);
            });

    private static readonly Gen<(string Text, int Status, byte[] Body)> Response =
        Gen.Select(Gen.Int[100, 699], Gen.Char["abcdefg XYZ-"].Array[0, 20], Via.Array[1, 3], NameAddr, NameAddr, Token, Optional.Array[0, 4], Body)
            .Select((status, reason, vias, from, to, callId, extra, body) =>
            {
                var text = $"SIP/2.0 {status} {new string(reason)}\r\n{string.Concat(vias)}f: {from}\r\nTo: {to}\r\nCall-ID: {callId}\r\nCSeq: 7 INVITE\r\n" +
                    $"{string.Concat(extra)}Content-Length: {body.Length}\r\n\r\n";
                return (text, status, body);
            });

    private static SipMessage ParseOrFail(byte[] bytes)
    {
        var result = SipMessageParser.Parse(bytes);
        Assert.True(result.Success, $"{result.Error}: {Encoding.UTF8.GetString(bytes)}");
        return result.Message;
    }

    private static byte[] Concat(string head, byte[] body) => [.. Encoding.UTF8.GetBytes(head), .. body];

    private static void AssertFixedPoint(SipMessage first)
    {
        var serialised = first.ToBytes();
        var again = ParseOrFail(serialised);
        Assert.Equal(Encoding.UTF8.GetString(serialised), Encoding.UTF8.GetString(again.ToBytes()));
        Assert.Equal(first.Headers.Count, again.Headers.Count);
        for (var i = 0; i < first.Headers.Count; i++)
        {
            Assert.Equal(first.Headers[i].Id, again.Headers[i].Id);
            Assert.Equal(first.Headers[i].GetValueString(), again.Headers[i].GetValueString());
        }
    }

    [Fact]
    public void Requests_round_trip_to_a_fixed_point() =>
        Request.Sample(generated =>
        {
            var request = Assert.IsType<SipRequest>(ParseOrFail(Concat(generated.Text, generated.Body)));
            Assert.Equal(generated.Method, request.Method);
            Assert.Equal(generated.Uri, request.RequestUri);
            Assert.Equal(generated.Body, request.Body.ToArray());
            Assert.Null(SipRequestValidator.Validate(request));
            AssertFixedPoint(request);
        }, iter: 2_000, threads: 1);

    [Fact]
    public void Responses_round_trip_to_a_fixed_point() =>
        Response.Sample(generated =>
        {
            var response = Assert.IsType<SipResponse>(ParseOrFail(Concat(generated.Text, generated.Body)));
            Assert.Equal(generated.Status, response.StatusCode);
            Assert.Equal(generated.Body, response.Body.ToArray());
            AssertFixedPoint(response);
        }, iter: 2_000, threads: 1);

    [Fact]
    public void Parse_never_throws_for_arbitrary_bytes() =>
        Gen.Byte.Array[0, 2_000].Sample(AssertParsesOrExplains, iter: 20_000, threads: 1);

    [Fact]
    public void Parse_never_throws_for_corrupted_valid_requests() =>
        Gen.Select(Request, Gen.Int[0, int.MaxValue].Array[1, 6], Gen.Byte.Array[6]).Sample((generated, positions, values) =>
        {
            var bytes = Concat(generated.Text, generated.Body);
            for (var i = 0; i < positions.Length; i++)
            {
                bytes[positions[i] % bytes.Length] = values[i];
            }

            AssertParsesOrExplains(bytes);
        }, iter: 10_000, threads: 1);

    [Fact]
    public void Via_with_a_non_ascii_byte_is_malformed()
    {
        // Found by the datagram fuzzer: a stray 0xB5 decoded to U+FFFD, was accepted, and came back in the response
        // as three bytes that made the response unparsable.
        var result = SipMessageParser.Parse(Encoding.Latin1.GetBytes(
            "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK\u00b5\r\nMax-Forwards: 70\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n"));

        Assert.False(result.Success);
        Assert.Equal("Malformed Via header", result.Error.Reason);
    }

    private static void AssertParsesOrExplains(byte[] bytes)
    {
        var result = SipMessageParser.Parse(bytes);
        if (!result.Success)
        {
            Assert.Contains(result.Error.StatusCode, new[] { 400, 413, 505 });
            Assert.False(string.IsNullOrWhiteSpace(result.Error.Reason));
            Assert.True(result.Error.Reason.AsSpan().IndexOfAny('\r', '\n') < 0, "A reason phrase must not contain CR or LF");
        }
    }
}
