using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.Analytics.Tests.Infrastructure;

/// <summary>Forwards a loopback port to the broker, to simulate the broker coming back on the publisher's port.</summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private TcpForwarder(int listenPort, int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, listenPort);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public static TcpForwarder Start(int listenPort, int targetPort) => new(listenPort, targetPort);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using var upstream = new TcpClient();
        using (client)
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                using var clientStream = new NetworkStream(client, ownsSocket: false);
                var upstreamStream = upstream.GetStream();
                await Task.WhenAny(
                    clientStream.CopyToAsync(upstreamStream, _stop.Token),
                    upstreamStream.CopyToAsync(clientStream, _stop.Token));
            }
            catch (Exception)
            {
                // Either side closing ends this connection only.
            }
        }
    }
}
