using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Authentication;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transactions;

namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>
/// Keeps one trunk registered (RFC 3261 §10.2): registers, answers digest challenges once per challenge, honours 423
/// Min-Expires, refreshes at <see cref="RegistrationTiming.RefreshDelay"/>, retries failures with capped exponential
/// backoff, and removes the binding with Expires: 0 on request. One loop owns all state except <see cref="Status"/>.
/// </summary>
public sealed partial class TrunkRegistrar
{
    // Challenge (401/407), 423, then the authenticated or longer request, plus one stale=true re-challenge.
    private const int MaxRequestsPerAttempt = 4;

    private readonly TrunkOptions _options;
    private readonly NonInviteClientTransactionLayer _transactions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RegistrarAddress _registrar;
    private readonly RegisterRequestFactory _requests;
    private readonly DigestClientSession _digest;
    private volatile TrunkRegistrationStatus _status = TrunkRegistrationStatus.Initial;

    public TrunkRegistrar(TrunkOptions options, SipClientBinding binding, TimeProvider time, ILogger<TrunkRegistrar> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _transactions = binding.Transactions;
        _time = time;
        _logger = logger;
        _registrar = RegistrarAddress.TryParse(options.Registrar, out var registrar)
            ? registrar
            : throw new ArgumentException($"Invalid registrar '{options.Registrar}'.", nameof(options));
        var domain = string.IsNullOrWhiteSpace(options.Domain) ? _registrar.Host : options.Domain;
        _requests = new RegisterRequestFactory(options.Username, domain, binding.LocalHostPort, binding.UserAgent);
        _digest = new DigestClientSession(string.IsNullOrEmpty(options.AuthUsername) ? options.Username : options.AuthUsername, options.Password);
    }

    public string Name => _options.Name;

    public TrunkRegistrationStatus Status => _status;

    /// <summary>The Call-ID shared by all REGISTERs of this binding.</summary>
    public string CallId => _requests.CallId;

    /// <summary>Registers and keeps refreshing until <paramref name="stopping"/>; never throws except on cancellation.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var retry = _options.RetryInterval;
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var granted = await RegisterAsync(_options.Expires, stopping);
                if (granted is { } seconds)
                {
                    wait = RegistrationTiming.RefreshDelay(TimeSpan.FromSeconds(seconds));
                    retry = _options.RetryInterval;
                }
                else
                {
                    wait = retry;
                    retry = RegistrationTiming.NextRetryDelay(retry, _options.MaxRetryInterval);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Nothing here should throw; if it does, the trunk must keep retrying rather than die silently.
                SetFailed(null, ex.Message);
                LogUnexpected(_logger, _options.Name, ex);
                wait = retry;
                retry = RegistrationTiming.NextRetryDelay(retry, _options.MaxRetryInterval);
            }

            try
            {
                await Task.Delay(wait, _time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Removes our binding (Expires: 0, RFC 3261 §10.2.2) if we hold one; best effort within the token.</summary>
    public async Task UnregisterAsync(CancellationToken cancellationToken)
    {
        if (_status.State != RegistrationState.Registered)
        {
            return;
        }

        try
        {
            await RegisterAsync(0, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogUnregisterAbandoned(_logger, _options.Name);
        }
    }

    /// <summary>One registration attempt; returns the granted seconds, or null when it failed (status says why).</summary>
    private async Task<int?> RegisterAsync(int expires, CancellationToken cancellationToken)
    {
        if (await _registrar.ResolveAsync(cancellationToken) is not { } destination)
        {
            return Fail(null, $"cannot resolve registrar host {_registrar.Host}");
        }

        _digest.BeginAttempt();
        var requested = expires;
        for (var i = 0; i < MaxRequestsPerAttempt; i++)
        {
            var authorization = _digest.CreateAuthorization(SipMethods.Register, _requests.RequestUri);
            var request = _requests.Create(requested, authorization, _digest.IsProxy);
            var response = await _transactions.SendAsync(request, destination, cancellationToken);
            switch (response.StatusCode)
            {
                case >= 200 and < 300:
                    return Succeeded(response, requested);
                case 401 or 407:
                    if (!TryAcceptChallenge(response))
                    {
                        return null;
                    }

                    break;
                case 423 when RegisterResponseReader.MinExpires(response) is { } minimum && minimum > requested && requested > 0:
                    // RFC 3261 §10.2.8: retry with an interval no shorter than Min-Expires.
                    LogIntervalTooBrief(_logger, _options.Name, requested, minimum);
                    requested = minimum;
                    break;
                default:
                    return Fail(response.StatusCode, $"{response.StatusCode} {response.ReasonPhrase}");
            }
        }

        return Fail(null, "too many challenges or interval corrections in one attempt");
    }

    private bool TryAcceptChallenge(SipResponse response)
    {
        var challenge = DigestChallenge.SelectPreferred(RegisterResponseReader.Challenges(response));
        if (challenge is null)
        {
            Fail(response.StatusCode, "challenge without a usable Digest offer (algorithm or qop not supported)");
            return false;
        }

        if (!_digest.Accept(challenge, response.StatusCode == 407))
        {
            // The server rejected the answer to its own fresh challenge: retrying now would fail the same way.
            _digest.Reset();
            LogBadCredentials(_logger, _options.Name, challenge.Realm);
            Fail(response.StatusCode, "credentials rejected");
            return false;
        }

        return true;
    }

    private int? Succeeded(SipResponse response, int requested)
    {
        if (requested == 0)
        {
            _status = new TrunkRegistrationStatus(RegistrationState.Unregistered, null, response.StatusCode, null);
            LogUnregistered(_logger, _options.Name);
            return 0;
        }

        var granted = RegisterResponseReader.GrantedExpires(response, _requests.Contact, requested);
        if (granted <= 0)
        {
            return Fail(response.StatusCode, "registrar granted no time to our contact");
        }

        _status = new TrunkRegistrationStatus(RegistrationState.Registered, _time.GetUtcNow().AddSeconds(granted), response.StatusCode, null);
        RegistrationMetrics.Succeeded.Add(1, RegistrationMetrics.Trunk(_options.Name));
        LogRegistered(_logger, _options.Name, granted);
        return granted;
    }

    private int? Fail(int? statusCode, string reason)
    {
        SetFailed(statusCode, reason);
        LogFailed(_logger, _options.Name, LogText.Safe(reason)); // the reason phrase is the registrar's bytes
        return null;
    }

    private void SetFailed(int? statusCode, string reason)
    {
        _status = new TrunkRegistrationStatus(RegistrationState.Failed, null, statusCode, reason);
        RegistrationMetrics.Failed.Add(1, RegistrationMetrics.Trunk(_options.Name));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trunk {Trunk}: registered for {Seconds} s")]
    private static partial void LogRegistered(ILogger logger, string trunk, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trunk {Trunk}: unregistered")]
    private static partial void LogUnregistered(ILogger logger, string trunk);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trunk {Trunk}: registration failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string trunk, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trunk {Trunk}: registrar rejected our credentials for realm {Realm}; check Username/AuthUsername/Password")]
    private static partial void LogBadCredentials(ILogger logger, string trunk, string realm);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trunk {Trunk}: interval {Requested} s too brief, retrying with {Minimum} s")]
    private static partial void LogIntervalTooBrief(ILogger logger, string trunk, int requested, int minimum);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trunk {Trunk}: unregistration abandoned at shutdown")]
    private static partial void LogUnregisterAbandoned(ILogger logger, string trunk);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trunk {Trunk}: unexpected registration error")]
    private static partial void LogUnexpected(ILogger logger, string trunk, Exception exception);
}
