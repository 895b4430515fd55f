using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// SIP user-agent server over UDP and TCP: answers INVITEs through <see cref="ICallHandler"/>, keeps the dialog table, and
/// hangs up calls on request. One lock guards all tables; the handler is never called while it is held.
/// </summary>
public sealed partial class SipUserAgentServer : IAsyncDisposable
{
    /// <summary>Methods this UAS implements (Allow, RFC 3261 §20.5).</summary>
    public const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO, NOTIFY, REFER, PRACK";

    private readonly SipOptions _options;
    private readonly IReadOnlyList<AudioCodec> _codecs;
    private readonly ICallHandler _handler;
    private readonly SipRequestFilter? _filter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _badInputLog = new(TimeSpan.FromSeconds(10));
    private readonly Lock _sync = new();
    private readonly Dictionary<string, InviteServerTransaction> _invites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SipDialog> _dialogs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CachedResponse> _nonInviteResponses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<int>> _clientTransactions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _timeout64T1;
    private UdpSipTransport? _transport;
    private TcpSipTransport? _tcpTransport;
    private TlsSipTransport? _tlsTransport;
    private Task? _maintenance;
    private IPAddress _publicAddress = IPAddress.Loopback;
    private string _hostPort = "127.0.0.1";
    private int _proceeding;

    public SipUserAgentServer(SipOptions options, ICallHandler handler, ILoggerFactory loggerFactory, SipRequestFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.T1, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.T2, options.T1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDialogs, 1);
        _options = options;
        _codecs = AudioCodecPreferences.Parse(options.Codecs);
        _handler = handler;
        _filter = filter;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SipUserAgentServer>();
        _timeout64T1 = options.T1 * 64;
    }

    /// <summary>The bound UDP endpoint; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint LocalEndPoint => _transport?.LocalEndPoint ?? throw new InvalidOperationException("Not started.");

    /// <summary>The bound TLS endpoint when "Sip:Tls" is enabled; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint? TlsEndPoint => _tlsTransport?.LocalEndPoint;

    /// <summary>Consulted for new INVITEs and out-of-dialog OPTIONS; null: always available.</summary>
    public SipAvailability? Availability { get; set; }

    /// <summary>Offered each response first; true means another component's client transaction took it (RFC 3261 §17.1.3).</summary>
    public Func<SipResponse, bool>? ResponseInterceptor { get; set; }

    /// <summary>The advertised host:port (Via sent-by, Contact); valid after <see cref="StartAsync"/>.</summary>
    public string ContactHostPort => _hostPort;

    /// <summary>Sends a datagram from the SIP socket, for client transactions of other components.</summary>
    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken) =>
        _transport is { } transport ? transport.SendAsync(datagram, destination, cancellationToken) : ValueTask.FromResult(false);

    /// <summary>Dialogs currently in the table (answered and not yet ended).</summary>
    public int ActiveDialogCount
    {
        get
        {
            lock (_sync)
            {
                return _dialogs.Count;
            }
        }
    }

    /// <summary>Binds the socket and starts receiving. Throws if the address cannot be bound.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_transport is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        var listen = IPAddress.Parse(_options.ListenAddress);
        (_transport, _tcpTransport) = BindTransports(listen);
        _publicAddress = ResolvePublicAddress(listen);
        var host = _publicAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{_publicAddress}]" : _publicAddress.ToString();
        _hostPort = string.Create(CultureInfo.InvariantCulture, $"{host}:{_transport.LocalEndPoint.Port}");
        ((ISipTransport)_transport).Start(OnMessage);
        _tcpTransport?.Start(OnMessage);
        _tlsTransport = _options.Tls.Enabled ? new TlsSipTransport(new IPEndPoint(listen, _options.Tls.Port), _options.Tcp, _options.Tls, _options.UserAgent, _loggerFactory.CreateLogger<TlsSipTransport>()) : null;
        _tlsTransport?.Start(OnMessage);

        _maintenance = Task.Run(MaintenanceLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Binds UDP and, when enabled, TCP on the same port number (RFC 3261 §18: a server listening on UDP also
    /// listens on TCP at that port). With port 0 the OS picks the UDP port, and that number may already be taken
    /// on TCP, so a few fresh picks are tried; with a configured port the bind error stands.
    /// </summary>
    private (UdpSipTransport Udp, TcpSipTransport? Tcp) BindTransports(IPAddress listen)
    {
        const int Attempts = 20;
        for (var attempt = 1; ; attempt++)
        {
            var udp = new UdpSipTransport(new IPEndPoint(listen, _options.Port), _loggerFactory.CreateLogger<UdpSipTransport>(), _options.UdpReceiveBufferBytes);
            if (!_options.Tcp.Enabled)
            {
                return (udp, null);
            }

            try
            {
                var tcp = new TcpSipTransport(
                    new IPEndPoint(listen, udp.LocalEndPoint.Port), _options.Tcp, _options.UserAgent, _loggerFactory.CreateLogger<TcpSipTransport>());
                return (udp, tcp);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && _options.Port == 0 && attempt < Attempts)
            {
                udp.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch
            {
                udp.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        List<SipDialog> open;
        List<InviteServerTransaction> transactions;
        lock (_sync)
        {
            open = [.. _dialogs.Values];
            transactions = [.. _invites.Values];
            _dialogs.Clear();
        }

        foreach (var tx in transactions)
        {
            CancelQuietly(tx.RetransmissionStop);
            CancelQuietly(tx.HandlerCancellation);
            tx.Early?.Stop();
        }

        // Every accepted call gets its one OnCallTerminated, and the caller one best-effort BYE.
        foreach (var dialog in open)
        {
            if (dialog.TryMarkTerminated())
            {
                NotifyTerminated(dialog.Id, CallTermination.Gateway, CallTermination.ReasonShutdown);
                var (bye, destination, _) = PrepareBye(dialog);
                await SendAsync(bye, destination);
            }
        }

        if (_maintenance is not null)
        {
            await _maintenance;
        }

        if (_transport is not null)
        {
            await _transport.DisposeAsync();
        }

        if (_tcpTransport is not null)
        {
            await _tcpTransport.DisposeAsync();
        }

        if (_tlsTransport is not null)
        {
            await _tlsTransport.DisposeAsync();
        }
    }

    private void OnMessage(ReadOnlyMemory<byte> datagram, SipEndPoint remote)
    {
        try
        {
            if (_filter?.AdmitDatagram(remote.Address) == false)
            {
                return;
            }

            var result = SipMessageParser.Parse(datagram);
            if (!result.Success)
            {
                HandleMalformed(result.Error, remote);
            }
            else if (result.Message is SipRequest request)
            {
                HandleRequest(request, remote);
            }
            else
            {
                HandleResponse((SipResponse)result.Message);
            }
        }
        catch (Exception ex)
        {
            SipUasMetrics.Dropped.Add(1);
            if (_badInputLog.TryAcquire(out var suppressed))
            {
                _logger.LogError(ex, "Failed to process a datagram from {Remote} ({Suppressed} similar suppressed)", remote, suppressed);
            }
        }
    }

    private void HandleMalformed(SipParseError error, SipEndPoint remote)
    {
        if (error.Method is not null and not SipMethods.Ack && error.Headers is { } headers && SipResponseFactory.CanAnswer(headers))
        {
            // The Via may be what is broken, so answer the packet's source (RFC 3581 behaviour) instead of sent-by.
            SipUasMetrics.BadRequests.Add(1);
            var response = SipResponseFactory.Create(headers, error.StatusCode, error.Reason, NewToken(), _options.UserAgent);
            Send(response.ToBytes(), remote);
        }
        else
        {
            SipUasMetrics.Dropped.Add(1);
        }

        if (_badInputLog.TryAcquire(out var suppressed))
        {
            _logger.LogWarning("Malformed SIP message from {Remote}: {Reason} ({Suppressed} similar suppressed)", remote, LogText.Safe(error.Reason), suppressed);
        }
    }

    private void HandleRequest(SipRequest request, SipEndPoint remote)
    {
        SipUasMetrics.Requests.Add(1, new KeyValuePair<string, object?>("method", request.Method));
        if (SipRequestValidator.Validate(request) is { } missing)
        {
            HandleMalformed(new SipParseError(missing, 400, request.Headers, request.Method), remote);
            return;
        }

        SipResponseRouter.StampTopVia(request, remote.Address);
        var destination = SipResponseRouter.ResolveDestination(request.TopVia!, remote);
        if (!PassesFilter(request, remote, destination))
        {
            return;
        }

        if (request.Method == SipMethods.Ack)
        {
            HandleAck(request);
            return;
        }

        if (destination.Protocol == SipTransportProtocol.Udp && UdpResponseSize.ExceedsDatagram(request.Headers, destination.Address.AddressFamily))
        {
            // Stateless (RFC 3261 §8.2.7): a retransmission is simply answered again.
            SipUasMetrics.BadRequests.Add(1);
            Send(UdpResponseSize.CreateMessageTooLarge(request.Headers, NewToken(), _options.UserAgent).ToBytes(), destination);
            return;
        }

        if (request.Method == SipMethods.Invite)
        {
            HandleInvite(request, remote, destination);
            return;
        }

        // RFC 3261 §17.2.2: a retransmitted non-INVITE request gets the response already sent.
        var cacheKey = request.Method + "|" + TransactionKey(request);
        lock (_sync)
        {
            if (_nonInviteResponses.TryGetValue(cacheKey, out var cached))
            {
                Send(cached.Bytes, cached.Destination);
                return;
            }
        }

        // RFC 3261 §8.2.2.3: every request but ACK and CANCEL (which cannot be refused, §9.2) with a Require tag we do
        // not implement gets 420, OPTIONS included: a peer probing with Require learns what we lack.
        if (request.Method != SipMethods.Cancel && SipExtensions.Unsupported(request) is { Count: > 0 } unsupported)
        {
            var badExtension = CreateResponse(request, 420, "Bad Extension");
            SipExtensions.AddUnsupported(badExtension.Headers, unsupported);
            SipUasMetrics.BadRequests.Add(1);
            RespondNonInvite(badExtension, cacheKey, destination);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                HandleBye(request, cacheKey, destination);
                break;
            case SipMethods.Cancel:
                HandleCancel(request, cacheKey, destination);
                break;
            case SipMethods.Options:
                RespondNonInvite(CreateOptionsResponse(request), cacheKey, destination);
                break;
            case SipMethods.Update:
                HandleUpdate(request, cacheKey, destination);
                break;
            case SipMethods.Info:
                HandleInfo(request, cacheKey, destination);
                break;
            case SipMethods.Notify:
                HandleNotify(request, cacheKey, destination);
                break;
            case SipMethods.Refer:
                HandleRefer(request, cacheKey, destination);
                break;
            case SipMethods.Prack:
                HandlePrack(request, cacheKey, destination);
                break;
            default:
                // RFC 3261 §8.2.1: a method the UAS recognises but does not support gets 405 with Allow; §21.5.2: a
                // method it does not recognise at all gets 501. Both carry Allow so the client learns what works.
                var known = SipMethods.IsKnown(request.Method);
                RespondNonInvite(CreateResponse(request, known ? 405 : 501, known ? "Method Not Allowed" : "Not Implemented", withAllow: true), cacheKey, destination);
                break;
        }
    }

    private void Send(byte[] bytes, SipEndPoint destination) => _ = SendAsync(bytes, destination);

    /// <summary>Sends on the transport the destination names (RFC 3261 §18.2.2: responses use the request's transport).</summary>
    private async Task SendAsync(byte[] bytes, SipEndPoint destination)
    {
        ISipTransport? transport = destination.Protocol switch
        {
            SipTransportProtocol.Tcp => _tcpTransport,
            SipTransportProtocol.Tls => _tlsTransport,
            _ => _transport,
        };
        if (transport is not null)
        {
            await transport.SendAsync(bytes, destination);
        }
    }

    private void NotifyTerminated(string dialogId, string endedBy, string reason)
    {
        try
        {
            _handler.OnCallTerminated(dialogId, endedBy, reason);
        }
        catch (Exception ex)
        {
            SipUasMetrics.HandlerErrors.Add(1);
            _logger.LogError(ex, "OnCallTerminated failed for {DialogId}", LogText.Safe(dialogId));
        }
    }

    private void NotifyConfirmed(string dialogId)
    {
        try
        {
            _handler.OnCallConfirmed(dialogId);
        }
        catch (Exception ex)
        {
            SipUasMetrics.HandlerErrors.Add(1);
            _logger.LogError(ex, "OnCallConfirmed failed for {DialogId}", LogText.Safe(dialogId));
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (AggregateException)
        {
            // Exceptions thrown by handler callbacks registered on the token must not reach the receive loop.
        }
    }

    /// <summary>Tags and branches need at least 32 random bits (RFC 3261 §19.3); use 64.</summary>
    private static string NewToken() => RandomNumberGenerator.GetHexString(16, lowercase: true);

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private readonly record struct CachedResponse(byte[] Bytes, SipEndPoint Destination, long ExpiresAt);
}
