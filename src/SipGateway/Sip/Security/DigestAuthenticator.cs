using System.Security.Cryptography;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Authentication;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>
/// UAS digest authentication (RFC 3261 §22.2, §22.4) with the MD5 and SHA-256 algorithms and qop=auth of RFC 7616.
/// Nonce counts are not tracked (the nonce is stateless), so a captured request replays from the same address until
/// the nonce expires; trunks are expected to be allow-listed by address, digest is the fallback.
/// </summary>
public sealed class DigestAuthenticator
{
    public const string WwwAuthenticate = "WWW-Authenticate";

    private static readonly byte[] AuthorizationName = "Authorization"u8.ToArray();

    // The challenge order is the preference order (RFC 7616 §3.7); the -sess variants are not offered, so an answer
    // using one is refused rather than verified against a challenge we never sent.
    private static readonly DigestAlgorithm[] OfferedAlgorithms = [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];

    private readonly Dictionary<(string Username, string Realm), (string Trunk, string Password)> _accounts = new();
    private readonly string[] _realms;
    private readonly DigestNonce _nonce;

    public DigestAuthenticator(IEnumerable<TrunkOptions> trunks, string defaultRealm, DigestNonce nonce)
    {
        ArgumentNullException.ThrowIfNull(trunks);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultRealm);
        ArgumentNullException.ThrowIfNull(nonce);
        _nonce = nonce;
        foreach (var trunk in trunks)
        {
            if (!string.IsNullOrEmpty(trunk.Username))
            {
                var realm = string.IsNullOrEmpty(trunk.Realm) ? defaultRealm : trunk.Realm;
                if (!_accounts.TryAdd((trunk.Username, realm), (trunk.Name, trunk.Password ?? string.Empty)))
                {
                    throw new ArgumentException($"Trunk '{trunk.Name}': user '{trunk.Username}' appears twice in realm '{realm}'.", nameof(trunks));
                }
            }
        }

        _realms = [.. _accounts.Keys.Select(k => k.Realm).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>True when at least one trunk has credentials.</summary>
    public bool IsEnabled => _accounts.Count > 0;

    /// <summary>
    /// WWW-Authenticate values: per realm one SHA-256 and one MD5 challenge, the preferred one first (RFC 7616 §3.7).
    /// </summary>
    public IReadOnlyList<string> CreateChallenges(SourceAddress client, bool stale)
    {
        var nonce = _nonce.Create(client);
        var challenges = new List<string>(_realms.Length * 2);
        foreach (var realm in _realms)
        {
            foreach (var algorithm in OfferedAlgorithms)
            {
                challenges.Add($"Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm={DigestCalculator.GetName(algorithm)}, qop=\"auth\"{(stale ? ", stale=true" : string.Empty)}");
            }
        }

        return challenges;
    }

    public DigestVerification Verify(SipRequest request, SourceAddress client, out string? trunk)
    {
        ArgumentNullException.ThrowIfNull(request);
        trunk = null;
        var credentials = FindCredentials(request);
        if (credentials is null)
        {
            return DigestVerification.Missing;
        }

        var nonceStatus = _nonce.Validate(credentials.Nonce, client);
        if (nonceStatus == DigestNonceStatus.Invalid)
        {
            return DigestVerification.UnknownNonce;
        }

        // We only offer qop=auth, which RFC 7616 §3.4 makes cnonce and nc mandatory for. RFC 3261 §22.4 compares
        // the digest-uri with the Request-URI so a response cannot be moved to another target.
        if (credentials.Username is not { } username
            || !_accounts.TryGetValue((username, credentials.Realm!), out var account)
            || !DigestCalculator.TryParseAlgorithm(credentials.Algorithm, out var algorithm)
            || Array.IndexOf(OfferedAlgorithms, algorithm) < 0
            || !string.Equals(credentials.Qop, "auth", StringComparison.OrdinalIgnoreCase)
            || credentials.CNonce is not { } cnonce || credentials.NonceCount is not { } nc || credentials.Response is not { } response
            || !string.Equals(credentials.Uri, request.RequestUri, StringComparison.Ordinal))
        {
            return DigestVerification.Rejected;
        }

        var expected = DigestCalculator.ComputeResponse(
            algorithm, new DigestResponseInput(username, credentials.Realm!, account.Password, request.Method, request.RequestUri, credentials.Nonce!, nc, cnonce, "auth"));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant())))
        {
            return DigestVerification.Rejected;
        }

        trunk = account.Trunk;
        return nonceStatus == DigestNonceStatus.Stale ? DigestVerification.Stale : DigestVerification.Valid;
    }

    /// <summary>The first Digest Authorization header for one of our realms (RFC 3261 §22.4 allows one per realm).</summary>
    private DigestCredentials? FindCredentials(SipRequest request)
    {
        foreach (var header in request.Headers)
        {
            if (header.Id == SipHeaderId.Unknown && Ascii.EqualsIgnoreCase(header.RawName.Span, AuthorizationName)
                && DigestCredentials.TryParse(header.GetValueString(), out var credentials)
                && credentials.Realm is { } realm && _realms.Contains(realm, StringComparer.Ordinal))
            {
                return credentials;
            }
        }

        return null;
    }
}
