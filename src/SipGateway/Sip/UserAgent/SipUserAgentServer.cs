using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Outbound;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// SIP user agent over UDP, TCP and TLS (<see cref="SipListeners"/>), and only a dispatcher, the way Kestrel hands each
/// connection and stream to its own object: it parses each message, drops what the filter refuses, has
/// <see cref="StatelessAnswers"/> answer what needs no state (malformed, too large, 420, OPTIONS, 405/501), lets the transaction layer absorb retransmissions
/// (<see cref="InviteServerTransactionTable"/>, <see cref="NonInviteResponseCache"/>) and hands every other request to
/// the type whose job it is: new INVITEs and CANCEL to <see cref="InviteAcceptor"/>, requests within a dialog, early
/// or confirmed, to <see cref="InDialogRequestHandler"/>, responses to our client transactions
/// (<see cref="SipDialogHost"/>, <see cref="OutboundCalls"/>). One lock guards all tables; the handler is never
/// called while it is held. Every timer runs on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class SipUserAgentServer : IAsyncDisposable
{
    /// <summary>Methods this UAS implements (Allow, RFC 3261 §20.5).</summary>
    public const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO, NOTIFY, REFER, PRACK";

    private readonly SipOptions _options;
    private readonly RequestFilterGate? _filter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _badInputLog = new(TimeSpan.FromSeconds(10));
    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly DialogTable _dialogs;
    private readonly InviteServerTransactionTable _invites;
    private readonly NonInviteResponseCache _nonInviteResponses;
    private readonly CallNotifier _notifier;
    private readonly SipDialogHost _host;
    private readonly InviteAcceptor _acceptor;
    private readonly InDialogRequestHandler _inDialog;
    private readonly OutboundCalls _outbound;
    private readonly DialogCallControl _callControl;
    private readonly StatelessAnswers _answers;
    private SipListeners? _listeners;
    private Task? _maintenance;

    /// <param name="time">The clock of every SIP timer (T1-based retransmissions, session timers); the system clock when null.</param>
    public SipUserAgentServer(SipOptions options, ICallHandler handler, ILoggerFactory loggerFactory, SipRequestFilter? filter = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.T1, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.T2, options.T1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDialogs, 1);
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SipUserAgentServer>();
        _time = time ?? TimeProvider.System;
        _dialogs = new DialogTable(options.UserAgent);
        _invites = new InviteServerTransactionTable(_sync, Send, options.T1, options.T2, options.T4, _time);
        _nonInviteResponses = new NonInviteResponseCache(_sync, Send, options.T1 * 64, _time);
        _notifier = new CallNotifier(handler, _logger);
        _host = new SipDialogHost(
            options, AudioCodecPreferences.Parse(options.Codecs), _sync, _dialogs, _invites, _notifier, () => _listeners, _time, _logger, _stopping.Token);
        _acceptor = new InviteAcceptor(_host, _dialogs, _nonInviteResponses, _notifier);
        _inDialog = new InDialogRequestHandler(_host, _dialogs, _nonInviteResponses, _notifier);
        _outbound = new OutboundCalls(_host, _dialogs);
        _callControl = new DialogCallControl(options, _sync, _dialogs, _notifier, _host);
        _filter = filter is null ? null : new RequestFilterGate(filter, _host, _dialogs);
        _answers = new StatelessAnswers(options, _host, _badInputLog, _logger);
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
    public string ContactHostPort => _host.ContactHostPort;

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

    internal (int Dialogs, int InviteTransactions, int CachedResponses, int ClientTransactions) TableSizes
    {
        get
        {
            lock (_sync)
            {
                return (_dialogs.Count, _invites.Count, _nonInviteResponses.Count, _host.ClientTransactionCount);
            }
        }
    }

    /// <inheritdoc cref="DialogCallControl.HangUpAsync"/>
    public Task HangUpAsync(string dialogId, CancellationToken cancellationToken) => _callControl.HangUpAsync(dialogId, cancellationToken);

    /// <inheritdoc cref="DialogCallControl.TransferAsync"/>
    public Task<TransferResult> TransferAsync(string dialogId, string targetUri, CancellationToken cancellationToken, IProgress<int>? progress = null) =>
        _callControl.TransferAsync(dialogId, targetUri, cancellationToken, progress);

    /// <inheritdoc cref="DialogCallControl.SendDtmfInfoAsync"/>
    public Task<int> SendDtmfInfoAsync(string dialogId, string digits, CancellationToken cancellationToken) =>
        _callControl.SendDtmfInfoAsync(dialogId, digits, cancellationToken);

    /// <summary>
    /// Places a call and returns once it is answered, refused or given up. Cancelling <paramref name="cancellationToken"/>
    /// before a final response sends CANCEL (§9.1) and the result then carries the callee's final status (normally 487);
    /// it does not throw. A 2xx that races the CANCEL is ACKed and hung up at once (§15).
    /// </summary>
    public async Task<OutboundCallResult> PlaceCallAsync(OutboundCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var listeners = _listeners ?? throw new InvalidOperationException("Not started.");
        return await _outbound.PlaceAsync(request, listeners.PublicAddress, cancellationToken);
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
            transactions = _invites.Snapshot();
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
                _notifier.Terminated(dialog.Id, CallTermination.Gateway, CallTermination.ReasonShutdown);
                var (bye, destination, _) = _host.PrepareBye(dialog);
                await _host.SendAsync(bye, destination);
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
            if (_filter?.AdmitsDatagram(remote.Address) == false)
            {
                return;
            }

            var result = SipMessageParser.Parse(datagram);
            if (!result.Success)
            {
                _answers.Malformed(result.Error, remote);
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

    private void HandleRequest(SipRequest request, SipEndPoint remote)
    {
        SipUasMetrics.Requests.Add(1, new KeyValuePair<string, object?>("method", request.Method));
        if (SipRequestValidator.Validate(request) is { } missing)
        {
            _answers.Malformed(new SipParseError(missing, 400, request.Headers, request.Method), remote);
            return;
        }

        SipResponseRouter.StampTopVia(request, remote.Address);
        var destination = SipResponseRouter.ResolveDestination(request.TopVia!, remote);
        if (_filter?.Admits(request, remote, destination) == false)
        {
            return;
        }

        if (request.Method == SipMethods.Ack)
        {
            _inDialog.OnAck(request);
            return;
        }

        if (_answers.TryRefuseTooLarge(request, destination))
        {
            return;
        }

        if (request.Method == SipMethods.Invite)
        {
            HandleInvite(request, remote, destination);
            return;
        }

        // RFC 3261 §17.2.2: a retransmitted non-INVITE request gets the response already sent.
        var cacheKey = NonInviteResponseCache.KeyOf(request);
        if (_nonInviteResponses.TryResend(cacheKey))
        {
            return;
        }

        // Every request but ACK and CANCEL (which cannot be refused, RFC 3261 §9.2) may get 420.
        if (request.Method != SipMethods.Cancel && _answers.BadExtension(request) is { } badExtension)
        {
            _nonInviteResponses.Respond(badExtension, cacheKey, destination);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                _inDialog.OnBye(request, cacheKey, destination);
                break;
            case SipMethods.Cancel:
                _acceptor.OnCancel(request, cacheKey, destination);
                break;
            case SipMethods.Options:
                _nonInviteResponses.Respond(_answers.Options(request, Availability), cacheKey, destination);
                break;
            case SipMethods.Update:
                _inDialog.OnUpdate(request, cacheKey, destination);
                break;
            case SipMethods.Info:
                _inDialog.OnInfo(request, cacheKey, destination);
                break;
            case SipMethods.Notify:
                _inDialog.OnNotify(request, cacheKey, destination);
                break;
            case SipMethods.Refer:
                _inDialog.OnRefer(request, cacheKey, destination);
                break;
            case SipMethods.Prack:
                _inDialog.OnPrack(request, cacheKey, destination);
                break;
            default:
                _nonInviteResponses.Respond(_answers.Unimplemented(request), cacheKey, destination);
                break;
        }
    }

    /// <summary>
    /// INVITE server transactions (RFC 3261 §17.2.1): a retransmission is answered by its transaction, a Require tag we
    /// lack gets 420 (§8.2.2.3, re-INVITEs included), a re-INVITE goes to its dialog, a new INVITE to the acceptor.
    /// </summary>
    private void HandleInvite(SipRequest invite, SipEndPoint source, SipEndPoint destination)
    {
        var key = ServerTransactionKey.Of(invite);
        if (_invites.TryAbsorbRetransmission(key))
        {
            return;
        }

        if (SipExtensions.Unsupported(invite) is { Count: > 0 } required)
        {
            _acceptor.Reject(invite, key, destination, 420, "Bad Extension", h => SipExtensions.AddUnsupported(h, required));
        }
        else if (invite.To!.Tag is not null)
        {
            _inDialog.OnReInvite(invite, key, destination);
        }
        else
        {
            _acceptor.OnInvite(invite, key, source, destination, Availability);
        }
    }

    /// <summary>Responses: other components' client transactions first, then our re-INVITEs, placed calls and non-INVITE requests.</summary>
    private void HandleResponse(SipResponse response)
    {
        // Outbound registration shares this socket; its transactions claim their responses first.
        if (ResponseInterceptor?.Invoke(response) == true || _host.TryHandleReInviteResponse(response) || _outbound.TryHandleResponse(response))
        {
            return;
        }

        if (!_host.TryCompleteClientTransaction(response) && response.StatusCode >= 200)
        {
            SipUasMetrics.Dropped.Add(1);
        }
    }

    private void Send(byte[] bytes, SipEndPoint destination) => _host.Send(bytes, destination);

    /// <summary>Forgets finished transactions and cached responses once their absorb window (64*T1, Timers I/J) has passed.</summary>
    private async Task MaintenanceLoopAsync()
    {
        // One-shot delays rather than a periodic timer, so a test clock that only simulates one-shot timers drives it too.
        var period = _options.T1 < TimeSpan.FromSeconds(1) ? _options.T1 : TimeSpan.FromSeconds(1);
        try
        {
            while (true)
            {
                await Task.Delay(period, _time, _stopping.Token);
                _invites.Sweep();
                _nonInviteResponses.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
