using StepAudio.Telephony.SipGateway.Tests.Rtp;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Dtmf;

/// <summary>
/// sipp's recorded RFC 4733 key presses (/usr/share/sip-tester/dtmf_2833_*.pcap, the files its uac_pcap scenario
/// plays), replayed byte for byte into a real <see cref="RtpSession"/>. tshark shows each file holds one press of
/// 280 ms: events 0–9, 10 (*) and 11 (#), a marker packet, updates every 20 ms and three end packets sharing one
/// sequence number.
/// </summary>
public sealed class SippDtmfRecordingTests
{
    private const string Recordings = "/usr/share/sip-tester";

    [Fact]
    public async Task Every_recorded_key_press_comes_out_once_with_its_duration()
    {
        Assert.True(File.Exists(Path.Combine(Recordings, "dtmf_2833_1.pcap")), "sipp's pcaps are missing: apt-get install sip-tester");

        // Played in the order of their recorded sequence numbers, one SSRC throughout, as one caller would send them.
        string[] files = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "star", "pound", "0"];
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var sink = new RecordingDtmfSink();
        await using var session = new RtpSession(
            new RtpPortLease(socket, release: null),
            MuLawCodec.Instance,
            (IPEndPoint)peer.Client.LocalEndPoint!,
            DiscardingAudioSink.Instance,
            telephoneEventPayloadType: 101);
        session.ReceiveTelephoneEvents(sink);
        session.Start();

        foreach (var file in files)
        {
            foreach (var datagram in PcapUdpPayloads.Read(Path.Combine(Recordings, $"dtmf_2833_{file}.pcap")))
            {
                await peer.SendAsync(datagram, session.LocalEndPoint);
            }
        }

        var digits = await sink.WaitForAsync(files.Length, TimeSpan.FromSeconds(10));
        await Task.Delay(200); // nothing more may trickle in
        Assert.Equal("123456789*#0", new string(sink.Digits.Select(d => d.Digit).ToArray()));
        Assert.All(digits, d => Assert.Equal(TimeSpan.FromMilliseconds(280), d.Duration));
        Assert.All(digits, d => Assert.Equal("rfc4733", d.Source));
    }
}
