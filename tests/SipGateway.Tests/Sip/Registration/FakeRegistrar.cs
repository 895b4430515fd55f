using System.Net;
using System.Net.Sockets;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Registration;

/// <summary>
/// A scripted loopback registrar for behaviours sipp cannot check (SHA-256 verification, 423, repeated challenges):
/// each REGISTER is recorded and answered with the extra header lines the script returns for it.
/// </summary>
internal sealed class FakeRegistrar : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Func<SipRequest, int, (int Status, string ExtraHeaders)> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<SipRequest> _requests = [];

    // Answers by transaction (top Via branch + CSeq): a retransmitted REGISTER, which a loaded machine provokes when
    // our answer reaches the client after Timer E (500 ms), gets the same answer again and is not a new request
    // (RFC 3261 §17.2.2), so the script and the tests see each transaction once.
    private readonly Dictionary<string, byte[]> _answers = [];

    public FakeRegistrar(Func<SipRequest, int, (int Status, string ExtraHeaders)> script)
    {
        _script = script;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public IReadOnlyList<SipRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            var parsed = SipMessageParser.Parse(buffer.AsSpan(0, result.ReceivedBytes).ToArray());
            if (!parsed.Success || parsed.Message is not SipRequest request)
            {
                continue;
            }

            var transaction = request.TopVia?.Branch + " " + request.Headers.GetFirst(SipHeaderId.CSeq);
            byte[]? repeated;
            lock (_requests)
            {
                _answers.TryGetValue(transaction, out repeated);
            }

            if (repeated is not null)
            {
                await _socket.SendToAsync(repeated, SocketFlags.None, result.RemoteEndPoint, _stop.Token);
                continue;
            }

            int index;
            lock (_requests)
            {
                _requests.Add(request);
                index = _requests.Count - 1;
            }

            var (status, extra) = _script(request, index);
            var h = request.Headers;
            var text = new StringBuilder()
                .Append("SIP/2.0 ").Append(status).Append(" Scripted\r\n")
                .Append("Via: ").Append(h.GetFirst(SipHeaderId.Via)).Append("\r\n")
                .Append("From: ").Append(h.GetFirst(SipHeaderId.From)).Append("\r\n")
                .Append("To: ").Append(h.GetFirst(SipHeaderId.To)).Append(";tag=fake\r\n")
                .Append("Call-ID: ").Append(h.GetFirst(SipHeaderId.CallId)).Append("\r\n")
                .Append("CSeq: ").Append(h.GetFirst(SipHeaderId.CSeq)).Append("\r\n")
                .Append(extra)
                .Append("Content-Length: 0\r\n\r\n");
            var answer = Encoding.ASCII.GetBytes(text.ToString());
            lock (_requests)
            {
                _answers[transaction] = answer;
            }

            await _socket.SendToAsync(answer, SocketFlags.None, result.RemoteEndPoint, _stop.Token);
        }
    }
}
