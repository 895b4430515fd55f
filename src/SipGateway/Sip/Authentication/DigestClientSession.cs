using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Authentication;

/// <summary>
/// The client side of digest for one peer: remembers the challenge it was last given and builds Authorization /
/// Proxy-Authorization values for it, counting nc per nonce (RFC 7616 §3.4: "incremented for each request the client
/// sends with this nonce") so that refreshes can be authenticated without a new challenge round-trip.
/// Not thread-safe: one registration loop owns it.
/// </summary>
public sealed class DigestClientSession
{
    private readonly string _username;
    private readonly string _password;
    private readonly Func<string> _cnonceFactory;
    private uint _nonceCount;
    private bool _challengeIsFresh;
    private bool _freshChallengeAnswered;

    /// <param name="username">The authentication user name (RFC 3261 §22.4: may differ from the AOR's user part).</param>
    /// <param name="password">The shared secret; kept only in memory and never written to logs.</param>
    /// <param name="cnonceFactory">Source of client nonces; random 128-bit hex by default (tests pass a fixed one).</param>
    public DigestClientSession(string username, string password, Func<string>? cnonceFactory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        _username = username;
        _password = password;
        _cnonceFactory = cnonceFactory ?? (static () => RandomNumberGenerator.GetHexString(32, lowercase: true));
    }

    /// <summary>The challenge being answered, or null before the first one.</summary>
    public DigestChallenge? Challenge { get; private set; }

    /// <summary>True when the challenge came in Proxy-Authenticate (407), so answers go in Proxy-Authorization.</summary>
    public bool IsProxy { get; private set; }

    /// <summary>
    /// Starts a new request (a new transaction). Credentials sent on it from an older challenge are a guess that
    /// saves a round-trip; only a challenge received during this attempt and already answered can prove that the
    /// credentials are wrong.
    /// </summary>
    public void BeginAttempt()
    {
        _challengeIsFresh = false;
        _freshChallengeAnswered = false;
    }

    /// <summary>
    /// Takes a challenge received in this attempt. Returns false when it must NOT be answered: we already answered a
    /// challenge in this attempt and the server challenges again without stale=true, which RFC 7616 §3.3 defines as
    /// "the username, password or similar credentials are incorrect". Answering would only repeat the failure.
    /// </summary>
    public bool Accept(DigestChallenge challenge, bool isProxy)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (_freshChallengeAnswered && !challenge.Stale)
        {
            return false;
        }

        if (Challenge is null || !string.Equals(Challenge.Nonce, challenge.Nonce, StringComparison.Ordinal))
        {
            _nonceCount = 0;
        }

        Challenge = challenge;
        IsProxy = isProxy;
        _challengeIsFresh = true;
        _freshChallengeAnswered = false;
        return true;
    }

    /// <summary>Forgets the challenge (after a final failure) so that the next attempt starts unauthenticated.</summary>
    public void Reset()
    {
        Challenge = null;
        _nonceCount = 0;
        BeginAttempt();
    }

    /// <summary>Builds the credentials value for <paramref name="method"/> on <paramref name="digestUri"/>; null without a challenge.</summary>
    public string? CreateAuthorization(string method, string digestUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(digestUri);
        if (Challenge is not { } challenge)
        {
            return null;
        }

        _freshChallengeAnswered |= _challengeIsFresh;
        var qop = challenge.OffersAuth ? "auth" : null;
        string? cnonce = null;
        string? nc = null;
        if (qop is not null)
        {
            _nonceCount++;
            nc = _nonceCount.ToString("x8", CultureInfo.InvariantCulture);
            cnonce = _cnonceFactory();
        }

        var response = DigestCalculator.ComputeResponse(
            challenge.Algorithm,
            new DigestResponseInput(_username, challenge.Realm, _password, method, digestUri, challenge.Nonce, nc, cnonce, qop));

        // RFC 7616 §3.4: algorithm, qop and nc are unquoted tokens; the rest are quoted strings.
        var sb = new StringBuilder(256);
        sb.Append("Digest username=").Append(Quote(_username))
            .Append(", realm=").Append(Quote(challenge.Realm))
            .Append(", nonce=").Append(Quote(challenge.Nonce))
            .Append(", uri=").Append(Quote(digestUri))
            .Append(", response=\"").Append(response).Append('"')
            .Append(", algorithm=").Append(DigestCalculator.GetName(challenge.Algorithm));
        if (qop is not null)
        {
            sb.Append(", cnonce=").Append(Quote(cnonce!)).Append(", qop=").Append(qop).Append(", nc=").Append(nc);
        }

        if (challenge.Opaque is { } opaque)
        {
            sb.Append(", opaque=").Append(Quote(opaque));
        }

        return sb.ToString();
    }

    private static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }
}
