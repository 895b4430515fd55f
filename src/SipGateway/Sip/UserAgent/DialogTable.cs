using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Provisional;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// The dialogs of the user agent, keyed by Call-ID and our tag (RFC 3261 §12): confirmed ones, answered calls and
/// placed ones alike, and early ones, the ringing INVITEs whose 183 set up an early dialog (§12.1.1, RFC 3262). A
/// request within a dialog finds it here in one step, the same for both states. Every member is called with the user
/// agent's lock held.
/// </summary>
internal sealed class DialogTable
{
    private const string UnknownDialog = "Call/Transaction Does Not Exist";

    private readonly Dictionary<string, SipDialog> _dialogs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EarlyDialog> _early = new(StringComparer.Ordinal);
    private readonly string _userAgent;

    public DialogTable(string userAgent) => _userAgent = userAgent;

    /// <summary>Confirmed dialogs (calls answered or placed and not yet ended); early dialogs are not calls yet.</summary>
    public int Count => _dialogs.Count;

    /// <summary>Early dialogs: INVITEs ringing with a 183 that can still take a PRACK.</summary>
    public int EarlyCount => _early.Count;

    public void AddEarly(EarlyDialog early) => _early[early.Id] = early;

    /// <summary>The INVITE got its final response or was cancelled: its early dialog takes no more requests.</summary>
    public void RemoveEarly(string dialogId) => _early.Remove(dialogId);

    /// <summary>
    /// The lookup step of a request within an early dialog (RFC 3262 §7.2: PRACK is one), the same as
    /// <see cref="FindInDialog"/> for confirmed ones: Call-ID, our tag and the caller's, then CSeq order (§12.2.2).
    /// Null and a 481 for no such early dialog, null and a 500 for a CSeq not above the last.
    /// </summary>
    public EarlyDialog? FindEarly(SipRequest request, out SipResponse? rejection)
    {
        if (request.To?.Tag is not { } tag || request.CallId is not { } callId
            || !_early.TryGetValue(Key(callId, tag), out var early) || !string.Equals(early.RemoteTag, request.From!.Tag, StringComparison.Ordinal))
        {
            rejection = Reject(request, 481, UnknownDialog);
            return null;
        }

        var number = request.CSeq!.Value.Number;
        if (number <= early.RemoteCSeq)
        {
            rejection = Reject(request, 500, "Server Internal Error (CSeq out of order)");
            return null;
        }

        early.RemoteCSeq = number;
        rejection = null;
        return early;
    }

    public static string Key(string callId, string localTag) => callId + ";" + localTag;

    public void Add(SipDialog dialog) => _dialogs[dialog.Id] = dialog;

    public void Remove(string dialogId) => _dialogs.Remove(dialogId);

    public SipDialog? Get(string dialogId) => _dialogs.GetValueOrDefault(dialogId);

    /// <summary>Empties the table and returns what it held (shutdown).</summary>
    public List<SipDialog> TakeAll()
    {
        List<SipDialog> all = [.. _dialogs.Values];
        _dialogs.Clear();
        return all;
    }

    /// <summary>The dialog named by Call-ID and our tag in To, ended or not, whatever the From tag.</summary>
    public SipDialog? ByOurTag(SipRequest request) =>
        request.To?.Tag is { } tag && request.CallId is { } callId ? _dialogs.GetValueOrDefault(Key(callId, tag)) : null;

    /// <summary>
    /// The dialog a request belongs to (RFC 3261 §12.2.2): Call-ID, our tag in To and the peer's in From; ended
    /// dialogs excluded unless <paramref name="includeEnded"/>.
    /// </summary>
    public SipDialog? Find(SipRequest request, bool includeEnded = false) =>
        ByOurTag(request) is { } dialog && string.Equals(dialog.RemoteTag, request.From!.Tag, StringComparison.Ordinal)
            && (includeEnded || !dialog.IsTerminated)
            ? dialog
            : null;

    /// <summary>
    /// The one lookup step of every in-dialog request but BYE and ACK (RFC 3261 §12.2.2): the dialog and null, or null
    /// and the rejection: 481 for a dialog we do not have (<paramref name="unknownReason"/> lets NOTIFY say
    /// "Subscription Does Not Exist", RFC 6665 §4.1.3), 500 for a CSeq not above the last one. An accepted CSeq
    /// becomes the dialog's last.
    /// </summary>
    public SipDialog? FindInDialog(SipRequest request, out SipResponse? rejection, string unknownReason = UnknownDialog)
    {
        var dialog = Find(request);
        if (dialog is null)
        {
            rejection = Reject(request, 481, unknownReason);
            return null;
        }

        var number = request.CSeq!.Value.Number;
        if (number <= dialog.InDialog.RemoteCSeq)
        {
            rejection = Reject(request, 500, "Server Internal Error (CSeq out of order)");
            return null;
        }

        dialog.InDialog.RemoteCSeq = number;
        rejection = null;
        return dialog;
    }

    private SipResponse Reject(SipRequest request, int statusCode, string reason) =>
        SipResponseFactory.Create(request.Headers, statusCode, reason, SipToken.New(), _userAgent);
}
