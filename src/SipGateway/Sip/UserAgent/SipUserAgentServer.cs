using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Outbound;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// SIP user agent over UDP, TCP and TLS (<see cref="SipListeners"/>), kept a dispatcher: it parses each message, runs
/// the INVITE server transactions and answers INVITEs through <see cref="ICallHandler"/>, finds the dialog of an
/// in-dialog request in one step (<see cref="DialogTable.FindInDialog"/>) and hands the request to that dialog's usage
/// (<see cref="Dialogs.InviteUsage"/>, <see cref="Dialogs.ReferSubscription"/>, <see cref="Dialogs.TransferAttempt"/>);
/// calls it places are <see cref="Outbound.OutboundCalls"/>'. One lock guards all tables; the handler is never called
/// while it is held.
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
    private readonly DialogTable _dialogs;
    private readonly OutboundCalls _outbound;
    private readonly NonInviteResponseCache _nonInviteResponses = new();
    private readonly InDialogClientTransactions _clientTransactions;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _timeout64T1;
    private SipListeners? _listeners;
    private Task? _maintenance;
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
        _dialogs = new DialogTable(options.UserAgent);
        _outbound = new OutboundCalls(this, _dialogs);
        _clientTransactions = new InDialogClientTransactions(_sync, Send, options.T1, options.T2, _stopping.Token);
    }

    /// <summary>The bound UDP endpoint; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint LocalEndPoint => _listeners?.LocalEndPoint ?? throw new InvalidOperationException("Not started.");

    /// <summary>The bound TLS endpoint when "Sip:Tls" is enabled; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint? TlsEndPoint => _listeners?.TlsEndPoint;

    /// <summary>Consulted for new INVITEs and out-of-dialog OPTIONS; null: always available.</summary>
    public SipAvailability? Availability { get; set; }

    /// <summary>Offered each response first; true means another component's client transaction took it (RFC 3261 §17.1.3).</summary>
    public Func<SipResponse, bool>? ResponseInterceptor { get; set; }

    /// <summary>The advertised host:port (Via sent-by, Contact); valid after <see cref="StartAsync"/>.</summary>
    public string ContactHostPort => _listeners?.HostPort ?? "127.0.0.1";

    /// <summary>Sends a datagram from the SIP socket, for client transactions of other components.</summary>
    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken) =>
        _listeners is { } listeners ? listeners.SendDatagramAsync(datagram, destination, cancellationToken) : ValueTask.FromResult(false);

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
        if (_listeners is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        _listeners = SipListeners.Bind(_options, _loggerFactory);
        _listeners.Start(OnMessage);

        _maintenance = Task.Run(MaintenanceLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
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
            open = _dialogs.TakeAll();
            transactions = [.. _invites.Values];
        }

        foreach (var tx in transactions)
        {
            tx.StopRetransmissions();
            tx.CancelHandler();
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

        if (_listeners is not null)
        {
            await _listeners.DisposeAsync();
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
            if (_nonInviteResponses.TryGet(cacheKey, out var cached, out var cachedDestination))
            {
                Send(cached, cachedDestination);
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
    private Task SendAsync(byte[] bytes, SipEndPoint destination) => _listeners?.SendAsync(bytes, destination) ?? Task.CompletedTask;

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

    private static string NewToken() => SipToken.New();

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>False when the filter dropped or answered the request itself.</summary>
    private bool PassesFilter(SipRequest request, SipEndPoint remote, SipEndPoint destination)
    {
        if (_filter is null)
        {
            return true;
        }

        var decision = _filter.Check(request, remote.Address, IsFromDialogPeer(request, remote));
        switch (decision.Action)
        {
            case FilterAction.Accept:
                return true;
            case FilterAction.Reject:
                // Stateless answer (RFC 3261 §8.2.7): a retransmission simply gets a fresh one, with a fresh nonce.
                var response = CreateResponse(request, decision.StatusCode, decision.Reason!);
                foreach (var (name, value) in decision.Headers)
                {
                    response.Headers.Add(name, value);
                }

                Send(response.ToBytes(), destination);
                return false;
            default:
                SipUasMetrics.Dropped.Add(1);
                return false;
        }
    }

    /// <summary>In-dialog request (our tag in To) from the address the dialog's INVITE came from.</summary>
    private bool IsFromDialogPeer(SipRequest request, SipEndPoint remote)
    {
        lock (_sync)
        {
            return _dialogs.ByOurTag(request) is { } dialog && dialog.RemoteSignalling.Address.Equals(remote.Address.Address);
        }
    }
}
