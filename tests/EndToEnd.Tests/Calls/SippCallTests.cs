using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Calls;

/// <summary>
/// Real calls from sipp through the running gateway to events in the real RabbitMQ. Each test waits for
/// its own calls' CallEnded events, so it only ever looks at the calls it placed.
/// </summary>
public sealed class SippCallTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Sipp_uac_call_is_answered_acknowledged_and_hung_up_by_the_caller()
    {
        var before = fixture.Events.EndedCalls(fixture.Gateway.SipPort);

        var sipp = await Sipp.CallAsync(fixture.Gateway.SipPort, "uac", _work, pause: TimeSpan.FromSeconds(1));

        Assert.True(sipp.ExitCode == 0, "sipp uac failed: " + sipp.Describe() + "\n--- gateway ---\n" + fixture.Gateway.Output);
        var call = await LastEndedCallAsync(before + 1);
        var started = Assert.IsType<CallStarted>(call[0]);
        Assert.Equal("PCMU/8000", started.Codec);
        Assert.Contains("gateway@", started.To, StringComparison.Ordinal);
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal("caller", ended.HungUpBy);
        Assert.Equal("bye", ended.Reason);
        Assert.InRange(ended.DurationSeconds, 0.5, 15);
        AssertSequenced(call);
    }

    [Fact]
    public async Task Delayed_offer_call_takes_its_answer_from_the_ack()
    {
        var before = fixture.Events.EndedCalls(fixture.Gateway.SipPort);

        // INVITE without SDP (RFC 3261 §13.2.1): the scenario checks our offer in the 200 and answers PCMU in the ACK.
        var sipp = await Sipp.CallAsync(fixture.Gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, "uac_delayed_offer.xml"), _work);

        Assert.True(sipp.ExitCode == 0, "sipp delayed-offer call failed: " + sipp.Describe() + "\n--- gateway ---\n" + fixture.Gateway.Output);
        var call = await LastEndedCallAsync(before + 1);
        Assert.Equal("PCMU/8000", Assert.IsType<CallStarted>(call[0]).Codec);
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal(("caller", "bye"), (ended.HungUpBy, ended.Reason));
        AssertSequenced(call);
    }

    [Fact]
    public async Task Caller_speech_sent_as_rtp_is_found_as_a_speech_segment()
    {
        var before = fixture.Events.EndedCalls(fixture.Gateway.SipPort);
        var speech = await SpeechFile.CreateAsync(_work);
        File.Copy(Path.Combine(RepositoryPaths.SippScenarios, "uac_speech.xml"), Path.Combine(_work, "uac_speech.xml"));

        var sipp = await Sipp.CallAsync(
            fixture.Gateway.SipPort,
            Path.Combine(_work, "uac_speech.xml"),
            _work,
            pause: speech.Duration + TimeSpan.FromSeconds(1.5));

        Assert.True(sipp.ExitCode == 0, "sipp speech call failed: " + sipp.Describe() + "\n--- gateway ---\n" + fixture.Gateway.Output);
        var call = await LastEndedCallAsync(before + 1);
        var segments = call.OfType<SpeechSegmentDetected>().ToList();
        Assert.NotEmpty(segments);

        // The caller's audio starts with the first RTP packet; where the voice really is was measured
        // on the very file sipp streamed. VAD padding and 32 ms windows allow a few hundred ms either way.
        Assert.InRange(segments[0].StartSeconds, speech.VoiceStart.TotalSeconds - 0.4, speech.VoiceStart.TotalSeconds + 0.4);
        Assert.InRange(segments[^1].EndSeconds, speech.VoiceEnd.TotalSeconds - 0.6, speech.VoiceEnd.TotalSeconds + 0.6);
        foreach (var segment in segments)
        {
            Assert.Equal(segment.EndSeconds - segment.StartSeconds, segment.DurationSeconds, 3);
            Assert.True(segment.DurationSeconds > 0.2, $"segment too short: {segment}");
        }

        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal(segments.Count, ended.SpeechSegments);
        Assert.Equal("caller", ended.HungUpBy);

        // Every segment's audio went through the analyzer off the media thread, and its result came before CallEnded.
        var emotions = call.OfType<EmotionDetected>().ToList();
        Assert.Equal(segments.Select(s => s.StartSeconds), emotions.Select(e => e.StartSeconds), (x, y) => Math.Abs(x - y) < 0.01);
        var speechSeconds = segments.Sum(s => s.DurationSeconds);
        Assert.Equal(speechSeconds / ended.DurationSeconds, ended.TalkRatio, 2);
        Assert.True(ended.TurnEndLatencyP95Seconds >= ended.TurnEndLatencyP50Seconds && ended.TurnEndLatencyP50Seconds > 0, ended.ToString());
        AssertSequenced(call);
    }

    [Fact]
    public async Task Sipp_pcap_call_in_pcma_with_30ms_packets_and_dtmf_is_analysed()
    {
        // sipp's own uac_pcap scenario plays its recorded A-law voice (30 ms packets) and an RFC 4733
        // DTMF digit from pcap/ under its working directory.
        var before = fixture.Events.EndedCalls(fixture.Gateway.SipPort);
        File.CreateSymbolicLink(Path.Combine(_work, "pcap"), "/usr/share/sip-tester");

        var sipp = await Sipp.CallAsync(fixture.Gateway.SipPort, "uac_pcap", _work);

        Assert.True(sipp.ExitCode == 0, "sipp uac_pcap failed: " + sipp.Describe() + "\n--- gateway ---\n" + fixture.Gateway.Output);
        var call = await LastEndedCallAsync(before + 1);
        Assert.Equal("PCMA/8000", Assert.IsType<CallStarted>(call[0]).Codec);
        var segments = call.OfType<SpeechSegmentDetected>().ToList();
        Assert.NotEmpty(segments);
        Assert.All(segments, s => Assert.InRange(s.EndSeconds, s.StartSeconds + 0.2, 8.0));
        Assert.Equal(segments.Count, Assert.IsType<CallEnded>(call[^1]).SpeechSegments);
        var digit = Assert.Single(call.OfType<DtmfReceived>());
        Assert.Equal("1", digit.Digit);
        AssertSequenced(call);
    }

    [Fact]
    public async Task Rfc4733_key_presses_replayed_by_sipp_are_published_once_each()
    {
        var before = fixture.Events.EndedCalls(fixture.Gateway.SipPort);
        File.CreateSymbolicLink(Path.Combine(_work, "pcap"), "/usr/share/sip-tester");

        var sipp = await Sipp.CallAsync(
            fixture.Gateway.SipPort,
            Path.Combine(RepositoryPaths.SippScenarios, "uac_dtmf_2833.xml"),
            _work,
            pause: TimeSpan.FromSeconds(1.5));

        Assert.True(sipp.ExitCode == 0, "sipp DTMF call failed: " + sipp.Describe() + "\n--- gateway ---\n" + fixture.Gateway.Output);
        var call = await LastEndedCallAsync(before + 1);
        var digits = call.OfType<DtmfReceived>().ToList();

        // tshark on the recordings: events 1, 5, 9, 10 (*) and 11 (#), each ending with duration 2240 at 8 kHz.
        Assert.Equal(["1", "5", "9", "*", "#"], digits.Select(d => d.Digit));
        Assert.All(digits, d => Assert.Equal(0.28, d.DurationSeconds, 3));
        Assert.All(digits, d => Assert.Equal("rfc4733", d.Source));
        AssertSequenced(call);
    }

    [Fact]
    public async Task A_key_press_sent_both_as_rfc4733_and_as_sip_info_is_published_once()
    {
        var before = fixture.Events.EndedCalls(fixture.Gateway.SipPort);
        File.CreateSymbolicLink(Path.Combine(_work, "pcap"), "/usr/share/sip-tester");

        var sipp = await Sipp.CallAsync(
            fixture.Gateway.SipPort,
            Path.Combine(RepositoryPaths.SippScenarios, "uac_dtmf_2833_and_info.xml"),
            _work,
            pause: TimeSpan.FromSeconds(0.5));

        Assert.True(sipp.ExitCode == 0, "sipp DTMF+INFO call failed: " + sipp.Describe() + "\n--- gateway ---\n" + fixture.Gateway.Output);
        var call = await LastEndedCallAsync(before + 1);
        var digit = Assert.Single(call.OfType<DtmfReceived>());
        Assert.Equal(("1", "rfc4733"), (digit.Digit, digit.Source));
        AssertSequenced(call);
    }

    [Fact]
    public async Task Garbage_datagrams_do_not_stop_the_gateway_from_taking_calls()
    {
        var before = fixture.Events.EndedCalls(fixture.Gateway.SipPort);
        using (var udp = new UdpClient(AddressFamily.InterNetwork))
        {
            var target = new IPEndPoint(IPAddress.Loopback, fixture.Gateway.SipPort);
            var random = new Random(4475);
            for (var i = 0; i < 200; i++)
            {
                var junk = new byte[random.Next(1, 1400)];
                random.NextBytes(junk);
                await udp.SendAsync(junk, target);
            }

            await udp.SendAsync("INVITE sip:x SIP/2.0\r\nContent-Length: -5\r\n\r\n"u8.ToArray(), target);
        }

        var sipp = await Sipp.CallAsync(fixture.Gateway.SipPort, "uac", _work);

        Assert.False(fixture.Gateway.HasExited, "gateway died:\n" + fixture.Gateway.Output);
        Assert.True(sipp.ExitCode == 0, "call after garbage failed: " + sipp.Describe());
        var call = await LastEndedCallAsync(before + 1);
        Assert.IsType<CallStarted>(call[0]);
    }

    [Fact]
    public async Task Prometheus_endpoint_counts_the_calls_and_packets_it_saw()
    {
        var before = fixture.Events.EndedCalls(fixture.Gateway.SipPort);
        var speech = await SpeechFile.CreateAsync(_work);
        File.Copy(Path.Combine(RepositoryPaths.SippScenarios, "uac_speech.xml"), Path.Combine(_work, "uac_speech.xml"));
        var sipp = await Sipp.CallAsync(fixture.Gateway.SipPort, Path.Combine(_work, "uac_speech.xml"), _work, pause: speech.Duration);
        Assert.True(sipp.ExitCode == 0, sipp.Describe());
        await LastEndedCallAsync(before + 1);

        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{fixture.Gateway.MetricsPort}/metrics"));

        // The speech file alone is more than 100 packets of 20 ms.
        Assert.True(MetricValue(text, "rtp_packets_received_total") >= speech.Duration.TotalSeconds * 50 - 5, text);
        Assert.True(MetricValue(text, "sip_uas_calls_accepted_total") >= 1, text);
        Assert.True(MetricValue(text, "stepaudio_analytics_events_published_total") >= 3, text);
    }

    private static double MetricValue(string exposition, string name)
    {
        // Prometheus text format: name{labels} value — the gateway's series carry the otel_scope_name label.
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"metric {name} missing from /metrics:\n{exposition}");
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<IReadOnlyList<ICallEvent>> LastEndedCallAsync(int endedCalls)
    {
        var calls = await fixture.Events.WaitForEndedCallsAsync(fixture.Gateway.SipPort, endedCalls, TimeSpan.FromSeconds(30));
        return calls
            .Where(c => c[^1] is CallEnded)
            .OrderBy(c => c[^1].Timestamp)
            .Last();
    }

    private static void AssertSequenced(IReadOnlyList<ICallEvent> call)
    {
        for (var i = 0; i < call.Count; i++)
        {
            Assert.Equal(i + 1, call[i].Sequence);
            Assert.NotEqual(Guid.Empty, call[i].EventId);
        }

        Assert.Equal(call.Count, call.Select(e => e.EventId).Distinct().Count());
    }
}
