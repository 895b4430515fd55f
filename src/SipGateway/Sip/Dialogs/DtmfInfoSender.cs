using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// Sends keys to a peer that negotiated no RFC 4733 telephone-event: one SIP INFO per key in the dialog, with an
/// <c>application/dtmf-relay</c> body (the "legacy INFO usage" of RFC 6086 §2, which trunks that send keys this way
/// also read). Each INFO waits for the previous one's final response: a peer answers a request whose CSeq is lower
/// than one it already saw with 500 (RFC 3261 §12.2.2), and the keys must arrive in order.
/// </summary>
internal sealed class DtmfInfoSender(IDialogHost host, SipDialog dialog)
{
    /// <summary>How long each key is said to be held: 100 ms, as the RFC 4733 sender does.</summary>
    public static readonly TimeSpan KeyLength = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Sends <paramref name="digits"/>; the final status of the first INFO that failed (the keys after it are not sent),
    /// else 200. 408 when the peer never answered (Timer F).
    /// </summary>
    /// <exception cref="ArgumentException">A character is not a DTMF key (nothing was sent).</exception>
    public async Task<int> SendAsync(string digits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var bodies = digits.Select(d => Encoding.ASCII.GetBytes(DtmfInfoBody.Format(d, KeyLength))).ToList();
        foreach (var body in bodies)
        {
            var status = await host.SendInDialogRequestAsync(dialog, SipMethods.Info, null, DtmfInfoBody.DtmfRelay, body, cancellationToken).ConfigureAwait(false);
            if (status is < 200 or >= 300)
            {
                return status;
            }
        }

        return 200;
    }
}
