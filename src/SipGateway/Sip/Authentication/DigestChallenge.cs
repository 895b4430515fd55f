namespace StepAudio.Telephony.SipGateway.Sip.Authentication;

/// <summary>One Digest challenge from WWW-Authenticate or Proxy-Authenticate (RFC 7616 §3.3, RFC 3261 §22.1).</summary>
public sealed record DigestChallenge(
    string Realm,
    string Nonce,
    DigestAlgorithm Algorithm,
    IReadOnlyList<string> Qop,
    string? Opaque,
    bool Stale)
{
    /// <summary>True when the server offers qop=auth (RFC 7616 §3.3: a list of quoted tokens).</summary>
    public bool OffersAuth => Qop.Any(q => q.Equals("auth", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Picks the challenge to answer: the strongest algorithm we support, as RFC 7616 §3.7 asks a client to prefer
    /// ("SHOULD use the first one it supports" in the server's preference order, with SHA-256 listed before MD5).
    /// Challenges with an algorithm or qop we cannot answer have already been left out by the parser.
    /// </summary>
    public static DigestChallenge? SelectPreferred(IEnumerable<DigestChallenge> challenges)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        DigestChallenge? best = null;
        foreach (var challenge in challenges)
        {
            if (best is null || Strength(challenge.Algorithm) > Strength(best.Algorithm))
            {
                best = challenge;
            }
        }

        return best;
    }

    private static int Strength(DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess ? 1 : 0;
}
