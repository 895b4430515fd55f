using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// One re-INVITE of ours (a session refresh towards peers without UPDATE): the INVITE client transaction over UDP
/// (RFC 3261 §17.1.1) and the ACK, resent for every retransmitted final response (§13.2.2.4, §17.1.1.3). The user agent
/// routes responses to <see cref="OnResponse"/> by branch.
/// </summary>
internal sealed class ReInviteClientTransaction
{
    private readonly SipDialog _dialog;
    private readonly IDialogHost _host;
    private readonly byte[] _request;
    private readonly TaskCompletionSource<int> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _proceeding;
    private byte[]? _ack;

    public ReInviteClientTransaction(SipDialog dialog, uint cseq, SipEndPoint destination, byte[] request, IDialogHost host)
    {
        _dialog = dialog;
        CSeq = cseq;
        Destination = destination;
        _request = request;
        _host = host;
    }

    public uint CSeq { get; }

    public SipEndPoint Destination { get; }

    /// <summary>Sends and retransmits until a final response; the status, or 408 when Timer B (64*T1) fires.</summary>
    public async Task<int> RunAsync(TimeSpan t1, CancellationToken cancellationToken)
    {
        var started = _host.Time.GetTimestamp();
        var interval = t1;
        // Timer A doubles without a cap and stops at the first provisional response; Timer B gives up at 64*T1.
        while (!_final.Task.IsCompleted)
        {
            if (!_proceeding)
            {
                _host.Send(_request, Destination);
            }

            await Task.WhenAny(_final.Task, Task.Delay(interval, _host.Time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (_host.Time.GetElapsedTime(started) >= t1 * 64 && !_final.Task.IsCompleted)
            {
                return 408;
            }

            interval *= 2;
        }

        return await _final.Task;
    }

    /// <summary>A response matched to this transaction by branch and CSeq.</summary>
    public void OnResponse(SipResponse response)
    {
        if (response.StatusCode < 200)
        {
            _proceeding = true;
            return;
        }

        // The ACK of a 2xx is a new transaction with its own branch (§13.2.2.4); that of a non-2xx reuses the INVITE's (§17.1.1.3).
        var ackBranch = response.StatusCode < 300 ? "z9hG4bK" + _host.NewToken() : response.TopVia!.Branch!;
        _ack ??= BuildAck(response, ackBranch);
        _host.Send(_ack, Destination);
        if (_final.TrySetResult(response.StatusCode) && response.StatusCode < 300)
        {
            ApplyAnswer(response);
        }
    }

    private byte[] BuildAck(SipResponse response, string branch)
    {
        var ack = _host.BuildInDialogRequest(_dialog, SipMethods.Ack, branch, CSeq, null, null, null);
        if (response.StatusCode >= 300 && response.Headers.GetFirst(SipHeaderId.To) is { } to)
        {
            // §17.1.1.3: the ACK of a non-2xx carries the To of the response.
            var index = ack.Headers.IndexOf(SipHeaderId.To);
            ack.Headers.Replace(index, SipHeader.Create(SipHeaderId.To, to));
        }

        return ack.ToBytes();
    }

    /// <summary>The 2xx carries the answer to our unchanged offer; apply it in case the peer changed something anyway.</summary>
    private void ApplyAnswer(SipResponse response)
    {
        MediaUpdate? update;
        bool changed;
        lock (_host.Sync)
        {
            var media = _dialog.InDialog.Media!;
            var before = media.Current;
            changed = media.TryTakeAnswer(response.ContentType, response.Body.Span, AudioCodecPreferences.Supported, out update, out _) && before != update;
        }

        if (changed)
        {
            _host.NotifyMediaUpdated(_dialog.Id, update!);
        }
    }
}
