using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// The dialogs of the user agent, answered calls and placed ones alike, keyed by Call-ID and our tag. Every member is
/// called with the user agent's lock held.
/// </summary>
internal sealed class DialogTable
{
    private const string UnknownDialog = "Call/Transaction Does Not Exist";

    private readonly Dictionary<string, SipDialog> _dialogs = new(StringComparer.Ordinal);
    private readonly string _userAgent;

    public DialogTable(string userAgent) => _userAgent = userAgent;

    public int Count => _dialogs.Count;

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
