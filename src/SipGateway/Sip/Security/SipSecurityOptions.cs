namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>Access control, flood and scanner protection of the SIP server (bind as section "SipSecurity").</summary>
public sealed class SipSecurityOptions
{
    public const string SectionName = "SipSecurity";

    /// <summary>Carrier trunks whose addresses are trusted, or whose credentials are accepted.</summary>
    public IList<TrunkOptions> Trunks { get; } = [];

    /// <summary>
    /// Accept requests from addresses that match no trunk. True by default so that the demo and tests work with no
    /// trunk configured; a production deployment must set it to false, or anyone who can reach the port can call.
    /// </summary>
    public bool AllowUnlistedSources { get; set; } = true;

    /// <summary>Realm of the digest challenge for trunks that set none.</summary>
    public string DefaultRealm { get; set; } = "stepaudio.telephony";

    /// <summary>How long a digest nonce stays valid; older ones are answered with stale=true (RFC 7616 §3.3).</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sustained requests per second allowed from one untrusted source address.</summary>
    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>Requests one untrusted source may send at once before <see cref="RequestsPerSecond"/> applies.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>Source addresses tracked by the rate limiter; the least recently seen are forgotten beyond it.</summary>
    public int MaxTrackedSources { get; set; } = 65_536;

    /// <summary>
    /// User-Agent substrings (case-insensitive) of SIP scanners whose requests are dropped unanswered. Null selects
    /// <see cref="DefaultScannerUserAgents"/>; an empty list disables the check.
    /// </summary>
    public IList<string>? ScannerUserAgents { get; set; }

    /// <summary>Tools seen in SIP scanning and toll-fraud campaigns.</summary>
    public static IReadOnlyList<string> DefaultScannerUserAgents { get; } =
        ["friendly-scanner", "sipvicious", "sipcli", "sip-scan", "VaxSIPUserAgent", "pplsip", "iWar", "sundayddr"];
}
