using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>
/// Decides, before the user agent processes a message, whether it comes from a configured trunk, from a client that
/// proves a trunk's credentials, from a flood or from a scanner. Rate limiting (<see cref="AdmitDatagram"/>) runs per
/// datagram before parsing so that malformed floods are bounded too; <see cref="Check"/> runs per parsed request.
/// </summary>
public sealed partial class SipRequestFilter
{
    private readonly (IpAddressRange Range, string Trunk)[] _trusted;
    private readonly bool _allowUnlisted;
    private readonly SourceRateLimiter _rateLimiter;
    private readonly ScannerDetector _scanners;
    private readonly DigestAuthenticator _digest;
    private readonly ILogger _logger;
    private long _scannersDropped;
    private long _lastLogged;

    public SipRequestFilter(SipSecurityOptions options, TimeProvider time, ILogger<SipRequestFilter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _allowUnlisted = options.AllowUnlistedSources;
        _trusted = [.. options.Trunks.SelectMany(t => t.Addresses.Select(a => (ParseRange(t, a), t.Name)))];
        _rateLimiter = new SourceRateLimiter(options.RequestsPerSecond, options.Burst, options.MaxTrackedSources, time);
        _scanners = new ScannerDetector((IEnumerable<string>?)options.ScannerUserAgents ?? SipSecurityOptions.DefaultScannerUserAgents);
        _digest = new DigestAuthenticator(options.Trunks, options.DefaultRealm, new DigestNonce(options.NonceLifetime, time));
    }

    /// <summary>Datagrams refused by the per-source rate limit.</summary>
    public long RateLimitedCount => _rateLimiter.LimitedCount;

    /// <summary>Requests dropped because their User-Agent is a known scanner.</summary>
    public long ScannersDroppedCount => Interlocked.Read(ref _scannersDropped);

    /// <summary>Sources the rate limiter currently tracks (bounded by MaxTrackedSources).</summary>
    public int TrackedSources => _rateLimiter.TrackedSources;

    /// <summary>
    /// Per-datagram flood control: false when the untrusted source has used up its bucket; the datagram is then
    /// dropped unanswered. Trusted trunks are exempt: a contact-centre trunk carries every call from one address, and
    /// a flood spoofing it must not cut the real trunk off.
    /// </summary>
    public bool AdmitDatagram(IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var address = SourceAddress.From(source.Address);
        if (FindTrunk(address) is not null || _rateLimiter.TryAcquire(address))
        {
            return true;
        }

        SipSecurityMetrics.RateLimited.Add(1);
        return false;
    }

    /// <summary>
    /// Access control for one request. <paramref name="fromDialogPeer"/> is true for an in-dialog request from the
    /// address that set the dialog up, which was admitted then and is not challenged again.
    /// </summary>
    public FilterDecision Check(SipRequest request, IPEndPoint source, bool fromDialogPeer = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(source);
        if (_scanners.IsScanner(request))
        {
            Interlocked.Increment(ref _scannersDropped);
            SipSecurityMetrics.Scanners.Add(1);
            return FilterDecision.Drop;
        }

        var address = SourceAddress.From(source.Address);

        // RFC 3261 §22.1: ACK and CANCEL cannot be challenged (they cannot be resubmitted). Both only act on a
        // transaction or dialog that an admitted INVITE created; unmatched ones are ignored or get 481.
        if (_allowUnlisted || fromDialogPeer || request.Method is SipMethods.Ack or SipMethods.Cancel || FindTrunk(address) is not null)
        {
            return FilterDecision.Accept;
        }

        if (!_digest.IsEnabled)
        {
            return Forbidden(source, request.Method);
        }

        switch (_digest.Verify(request, address, out _))
        {
            case DigestVerification.Valid:
                SipSecurityMetrics.Authenticated.Add(1);
                return FilterDecision.Accept;
            case DigestVerification.Rejected:
                // Wrong password or unknown user: 403 rather than another 401, so a misconfigured client stops
                // retrying, and unknown and known users look the same.
                return Forbidden(source, request.Method);
            case DigestVerification.Stale:
                return Challenge(address, stale: true);
            default:
                return Challenge(address, stale: false);
        }
    }

    private FilterDecision Challenge(SourceAddress address, bool stale)
    {
        SipSecurityMetrics.Challenged.Add(1);
        var headers = _digest.CreateChallenges(address, stale)
            .Select(c => new KeyValuePair<string, string>(DigestAuthenticator.WwwAuthenticate, c))
            .ToArray();
        return FilterDecision.Reject(401, "Unauthorized", headers);
    }

    /// <summary>
    /// Unlisted sources get 403 for every method, OPTIONS included: an open 200 to OPTIONS is how scanners (svmap)
    /// find servers to attack, while trunks send their OPTIONS keep-alives from listed addresses.
    /// </summary>
    private FilterDecision Forbidden(IPEndPoint source, string method)
    {
        SipSecurityMetrics.Forbidden.Add(1);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastLogged);
        if (now - last >= 10_000 && Interlocked.CompareExchange(ref _lastLogged, now, last) == last)
        {
            LogForbidden(_logger, method, source);
        }

        return FilterDecision.Reject(403, "Forbidden");
    }

    private string? FindTrunk(SourceAddress address)
    {
        foreach (var (range, trunk) in _trusted)
        {
            if (range.Contains(address))
            {
                return trunk;
            }
        }

        return null;
    }

    private static IpAddressRange ParseRange(TrunkOptions trunk, string address) =>
        IpAddressRange.TryParse(address, out var range)
            ? range
            : throw new ArgumentException($"SipSecurity trunk '{trunk.Name}': '{address}' is not an IP address or CIDR range.", nameof(trunk));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} from unlisted source {Source} (403; at most one such line per 10 s)")]
    private static partial void LogForbidden(ILogger logger, string method, IPEndPoint source);
}
