using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// The real baresip (a UA independent of sipp and of this code base) calls the UAS over loopback UDP. baresip runs
/// without a terminal: <c>-e</c> feeds the dial command to its menu module, the aufile source plays a short tone and
/// the menu hangs up when the file ends; <c>-t</c> is only a backstop that also hangs up (BYE) on quit.
/// </summary>
public sealed class BaresipInteropTests
{
    private const int ToneSeconds = 2;

    // baresip hangs up when the tone ends but keeps running until -t; quitting also hangs up, so either way a BYE.
    private const int QuitAfterSeconds = ToneSeconds + 4;

    [Fact]
    public async Task Baresip_call_negotiates_g711_acks_streams_rtp_and_ends_with_bye()
    {
        await CallAsync(codecs: null, toneRate: 8000, toneHz: 440, ["g711.so"], async (call, rtp) =>
        {
            Assert.Contains(call.Codec.EncodingName, (string[])["PCMU", "PCMA"]);
            Assert.Equal(8000, call.Codec.ClockRate);

            // baresip streams the tone with the payload type we answered (RFC 3550 §5.1: low 7 bits of the second octet).
            using var wait = new CancellationTokenSource(5_000);
            var packet = await rtp.ReceiveAsync(wait.Token);
            Assert.Equal(2, packet.Buffer[0] >> 6);
            Assert.Equal(call.Codec.PayloadType, packet.Buffer[1] & 0x7F);
        });
    }

    [Fact]
    public async Task Baresip_call_with_g722_enabled_streams_wideband_audio_our_decoder_hears_as_the_tone()
    {
        // baresip's g722 module is libspandsp's coder: an independent G.722 encoder on the other end of a real call.
        const int ToneHz = 1000;
        await CallAsync("G722,PCMU", toneRate: 16000, ToneHz, ["g722.so", "g711.so"], async (call, rtp) =>
        {
            Assert.Equal("G722", call.Codec.EncodingName);
            Assert.Equal(9, call.Codec.PayloadType);
            Assert.Equal(8000, call.Codec.ClockRate); // RFC 3551 §4.5.2

            var decoder = SipGateway.Codecs.G722.G722Codec.Instance.CreateSession();
            var pcm = new List<short>();
            var frame = new short[2 * 1500];
            using var wait = new CancellationTokenSource(5_000);
            while (pcm.Count < 16000)
            {
                var packet = await rtp.ReceiveAsync(wait.Token);
                Assert.Equal(9, packet.Buffer[1] & 0x7F);
                int samples = decoder.Decode(packet.Buffer.AsSpan(12), frame);
                Assert.Equal(2 * (packet.Buffer.Length - 12), samples); // two 16 kHz samples per octet
                pcm.AddRange(frame.AsSpan(0, samples));
            }

            // Skip the codec's start-up, then count zero crossings over the rest: a 1 kHz tone at 16 kHz crosses
            // 2,000 times a second; silence, noise or a wrong-rate decode would not.
            var steady = pcm.Skip(1600).ToArray();
            int crossings = 0;
            for (int i = 1; i < steady.Length; i++)
            {
                crossings += (steady[i - 1] < 0) != (steady[i] < 0) ? 1 : 0;
            }

            double seconds = steady.Length / 16000.0;
            Assert.InRange(crossings / seconds, 2 * ToneHz * 0.97, 2 * ToneHz * 1.03);
            Assert.True(steady.Max(v => Math.Abs((int)v)) > 1000, "the decoded tone is near silence");
        });
    }

    /// <summary>
    /// baresip dials a UAS that answers with <paramref name="codecs"/> enabled (default list when null) and streams a
    /// sox tone; <paramref name="duringCall"/> checks the call and its RTP; then the call must end with baresip's BYE.
    /// </summary>
    private static async Task CallAsync(
        string? codecs, int toneRate, int toneHz, string[] codecModules, Func<IncomingCall, UdpClient, Task> duringCall)
    {
        using var rtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var localRtp = (IPEndPoint)rtp.Client.LocalEndPoint!;
        var handler = new TestCallHandler((_, _) => Task.FromResult(MediaAcceptance.Accept(localRtp)));
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, PublicAddress = "127.0.0.1" };
        if (codecs is not null)
        {
            options.Codecs = codecs;
        }

        await using var server = new SipUserAgentServer(options, handler, NullLoggerFactory.Instance);
        await server.StartAsync();

        using var folder = new TempDirectory();
        var tone = folder.File("tone.wav");
        var ic = CultureInfo.InvariantCulture;
        ExternalTool.Run("sox", "-n", "-r", toneRate.ToString(ic), "-c", "1", "-b", "16", tone, "synth", ToneSeconds.ToString(ic), "sine", toneHz.ToString(ic));
        WriteConfiguration(folder, tone, FreePort(), codecModules);

        var baresip = ExternalTool.RunAsync(
            "baresip",
            ["-f", folder.Path, "-e", $"/dial sip:gateway@127.0.0.1:{server.LocalEndPoint.Port}", "-t", QuitAfterSeconds.ToString(ic)],
            folder.Path,
            TimeSpan.FromSeconds(QuitAfterSeconds + 30));

        var call = await NextOrDescribeAsync(handler.Incoming, baresip, 10_000);
        Assert.Equal(call.DialogId, await NextOrDescribeAsync(handler.Confirmed, baresip, 5_000));
        await duringCall(call, rtp);

        var ended = await NextOrDescribeAsync(handler.Terminated, baresip, (QuitAfterSeconds + 10) * 1000);
        Assert.Equal((call.DialogId, CallTermination.Caller, CallTermination.ReasonBye), ended);

        var result = await baresip;
        Assert.False(result.TimedOut, result.Describe());
        Assert.Contains("Call established", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// Only what the call needs: the codec modules, the aufile source/player and the two app modules that read the
    /// account and run the -e command. No stun/ice module is loaded, so no STUN traffic and no registration (regint=0).
    /// </summary>
    private static void WriteConfiguration(TempDirectory folder, string tone, int sipPort, string[] codecModules, string accountParameters = "")
    {
        File.WriteAllLines(folder.File("config"),
        [
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{sipPort}",
            $"audio_source aufile,{tone}",
            $"audio_player aufile,{folder.File("received.wav")}",
            $"audio_alert aufile,{tone}",
            "module_path /usr/lib/baresip/modules",
            .. codecModules.Select(m => "module " + m),
            "module aufile.so",
            "module_app account.so",
            "module_app menu.so",
        ]);
        File.WriteAllText(folder.File("accounts"), $"<sip:test@127.0.0.1>;regint=0{accountParameters}\n");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Baresip_srtp_call_is_encrypted_both_ways_and_each_side_hears_the_others_tone(bool overTls)
    {
        // baresip's srtp module with mediaenc=srtp-mand offers RTP/SAVP with SDES keys (RFC 4568); the gateway answers
        // with its own key, and the media path under test is ours (RtpSession with SrtpTransform) against baresip's.
        const int TheirHz = 440;
        const int OurHz = 600;
        const int SrtpToneSeconds = 4;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var sink = new PcmCollector();
        RtpSession? session = null;
        var handler = new TestCallHandler((call, _) =>
        {
            session = new RtpSession(new RtpPortLease(socket, release: null), MuLawCodec.Instance, call.RemoteRtp, sink, srtp: call.Srtp);
            session.Start();
            return Task.FromResult(MediaAcceptance.Accept(session.LocalEndPoint));
        });
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, PublicAddress = "127.0.0.1", Codecs = "PCMU" };
        options.Srtp.Mode = SrtpMode.Required;
        using var folder = new TempDirectory();
        if (overTls)
        {
            // SDES keys are only as secret as the signalling: the realistic set-up is SRTP with SIP over TLS.
            options.Tls = new() { Enabled = true, Port = 0, CertificatePath = folder.File("cert.pem"), PrivateKeyPath = folder.File("key.pem") };
            Transport.TestCertificates.WritePem(options.Tls.CertificatePath, options.Tls.PrivateKeyPath);
        }

        await using var server = new SipUserAgentServer(options, handler, NullLoggerFactory.Instance);
        await server.StartAsync();
        // baresip 1.0's menu prefixes "sip:" to anything else, so TLS is asked for with the transport parameter.
        var target = overTls ? $"sip:gateway@127.0.0.1:{server.TlsEndPoint!.Port};transport=tls" : $"sip:gateway@127.0.0.1:{server.LocalEndPoint.Port}";

        var tone = folder.File("tone.wav");
        var ic = CultureInfo.InvariantCulture;
        ExternalTool.Run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", tone, "synth", SrtpToneSeconds.ToString(ic), "sine", TheirHz.ToString(ic));
        WriteConfiguration(folder, tone, FreePort(), ["g711.so", "srtp.so", "sndfile.so"], ";mediaenc=srtp-mand");
        File.AppendAllText(folder.File("config"), $"snd_path {folder.Path}\n");
        var baresip = ExternalTool.RunAsync(
            "baresip",
            ["-f", folder.Path, "-e", $"/dial {target}", "-t", (SrtpToneSeconds + 4).ToString(ic)],
            folder.Path,
            TimeSpan.FromSeconds(SrtpToneSeconds + 34));
        try
        {
            var call = await NextOrDescribeAsync(handler.Incoming, baresip, 10_000);
            Assert.NotNull(call.Srtp);
            Assert.Equal("AES_CM_128_HMAC_SHA1_80", call.Srtp.Suite);
            await NextOrDescribeAsync(handler.Confirmed, baresip, 5_000);

            // One second of our tone, paced at 20 ms, while baresip's arrives.
            var pcm = new short[RtpSession.SamplesPerFrame];
            for (var frame = 0; frame < 50; frame++)
            {
                for (var i = 0; i < pcm.Length; i++)
                {
                    pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * OurHz * ((frame * pcm.Length) + i) / 8000.0));
                }

                session!.SendAudio(pcm);
                await Task.Delay(20);
            }

            await Eventually.TrueAsync(() => sink.Count >= 8000, TimeSpan.FromSeconds(10));
            Assert.InRange(ToneHz(sink.Samples.Skip(800).Take(7200).ToArray(), 8000), TheirHz * 0.97, TheirHz * 1.03);
            Assert.Equal(0, session!.SrtpPacketsDropped);
            Assert.True(session.GetStatistics().PacketsReceived > 40);

            var result = await baresip;
            Assert.False(result.TimedOut, result.Describe());

            // baresip decrypted and decoded what we sent: its recording holds our tone, not silence or noise.
            // baresip 1.0's aufile module has no player; its sndfile filter records what it decoded (dump-*-dec.wav).
            var decoded = Directory.GetFiles(folder.Path, "dump-*-dec.wav");
            Assert.True(decoded.Length == 1, string.Join(",", Directory.GetFiles(folder.Path)) + result.Describe());
            var heard = ReadWavSamples(decoded[0]);
            var loud = heard.SkipWhile(v => Math.Abs((int)v) < 2000).Take(4000).ToArray();
            Assert.True(loud.Length >= 4000, $"baresip recorded {heard.Length} samples, {loud.Length} of them after our tone began");
            Assert.InRange(ToneHz(loud, 8000), OurHz * 0.97, OurHz * 1.03);
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    /// <summary>Frequency of a steady tone from its zero crossings (two per period).</summary>
    private static double ToneHz(short[] samples, int rate)
    {
        var crossings = 0;
        for (var i = 1; i < samples.Length; i++)
        {
            crossings += (samples[i - 1] < 0) != (samples[i] < 0) ? 1 : 0;
        }

        return crossings / 2.0 / (samples.Length / (double)rate);
    }

    /// <summary>The 16-bit PCM samples of a RIFF/WAVE file's data chunk.</summary>
    private static short[] ReadWavSamples(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            var size = BitConverter.ToInt32(bytes, offset + 4);
            if (id == "data")
            {
                size = Math.Min(size, bytes.Length - offset - 8);
                var samples = new short[size / 2];
                Buffer.BlockCopy(bytes, offset + 8, samples, 0, samples.Length * 2);
                return samples;
            }

            offset += 8 + size + (size & 1);
        }

        return [];
    }

    private sealed class PcmCollector : IRtpAudioSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<short> _samples = new();

        public int Count => _samples.Count;

        public short[] Samples => _samples.ToArray();

        public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime)
        {
            foreach (var sample in pcm)
            {
                _samples.Enqueue(sample);
            }
        }
    }

    /// <summary>A port free for both UDP and TCP: baresip listens on both for sip_listen.</summary>
    private static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }

    /// <summary>The next item, or a failure that shows what baresip printed (it has usually exited by then).</summary>
    private static async Task<T> NextOrDescribeAsync<T>(System.Threading.Channels.Channel<T> channel, Task<ProcessResult> baresip, int timeoutMs)
    {
        using var wait = new CancellationTokenSource(timeoutMs);
        var next = channel.Reader.ReadAsync(wait.Token).AsTask();
        if (await Task.WhenAny(next, baresip) == next || await Task.WhenAny(next, Task.Delay(1_000)) == next)
        {
            try
            {
                return await next;
            }
            catch (OperationCanceledException)
            {
            }
        }

        var result = baresip.IsCompleted ? (await baresip).Describe() : "baresip still running";
        throw new TimeoutException($"Expected {typeof(T).Name} within {timeoutMs} ms; {result}");
    }
}
