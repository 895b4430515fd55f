using System.Net;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Provisional;

/// <summary>
/// The early dialog of one INVITE server transaction while it rings (RFC 3261 §12.1.1): the 183 Session Progress with
/// our answer (early media), its reliable delivery (RFC 3262) when the caller allows 100rel, and the PRACKs that
/// acknowledge it. It sits in the <see cref="DialogTable"/> as an early dialog until the INVITE's final response, so a
/// PRACK is found like any request within a dialog (RFC 3262 §7.2, RFC 3261 §12.2.2). The user agent builds the
/// response and owns the transaction state; this type decides what a PRACK gets and tells the user agent when the 183
/// was never acknowledged.
/// </summary>
internal sealed class EarlyDialog : IEarlyMedia, IDisposable
{
    private readonly uint _inviteCSeq;
    private readonly ReliableProvisionalSender? _sender;
    private readonly Func<IPEndPoint, SipResponse?> _createProgress;
    private readonly Action<byte[]> _send;
    private readonly Action _timedOut;
    private readonly Func<SipRequest, (MediaUpdate? Update, string Failure)>? _takeAnswer;
    private readonly TaskCompletionSource<bool> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;
    private volatile bool _answered;

    /// <param name="invite">The INVITE: its CSeq is what a PRACK's RAck must name.</param>
    /// <param name="sender">Delivers reliably; null when the caller did not name 100rel.</param>
    /// <param name="createProgress">Builds the 183 with our answer, or null when the INVITE has ended; the user agent keeps the answer for its 200.</param>
    /// <param name="send">Sends an unreliable 183 on the transaction's transport.</param>
    /// <param name="timedOut">No PRACK within 64*T1: the user agent rejects the INVITE with a 5xx (RFC 3262 §3).</param>
    /// <param name="id">The dialog id: Call-ID and our To tag (<see cref="DialogTable.Key"/>).</param>
    /// <param name="takeAnswer">
    /// For an INVITE without an offer: our 183 carries the offer and a PRACK must carry the answer (RFC 3262 §5), which
    /// this takes under the user agent's lock (the update, or null and why not). Null when the 183 carries our answer.
    /// </param>
    public EarlyDialog(
        SipRequest invite,
        string id,
        ReliableProvisionalSender? sender,
        Func<IPEndPoint, SipResponse?> createProgress,
        Action<byte[]> send,
        Action timedOut,
        Func<SipRequest, (MediaUpdate? Update, string Failure)>? takeAnswer = null)
    {
        _takeAnswer = takeAnswer;
        if (takeAnswer is null)
        {
            // The INVITE's offer named the caller's address: nothing to wait for.
            _answer.TrySetResult(true);
        }

        _inviteCSeq = invite.CSeq!.Value.Number;
        Id = id;
        RemoteTag = invite.From!.Tag;
        RemoteCSeq = _inviteCSeq;
        _sender = sender;
        _createProgress = createProgress;
        _send = send;
        _timedOut = timedOut;
    }

    /// <summary>Call-ID and our tag, the key the confirmed dialog will have too.</summary>
    public string Id { get; }

    /// <summary>The caller's From tag: a request with another one is not in this dialog (RFC 3261 §12.2.2).</summary>
    public string? RemoteTag { get; }

    /// <summary>Highest CSeq number seen from the caller, starting at the INVITE's (§12.2.2). Under the lock.</summary>
    public uint RemoteCSeq { get; set; }

    /// <inheritdoc />
    public bool IsReliable => _sender is not null;

    /// <summary>Whether the 183 carries our offer (the INVITE had none), so the PRACK carries the answer.</summary>
    public bool CarriesOffer => _takeAnswer is not null;

    /// <summary>A PRACK brought the answer to the offer in our 183: the 200 repeats the offer and the ACK brings none.</summary>
    public bool Answered => _answered;

    /// <summary>Whether the 183 went out: the 200 repeats its answer (RFC 3261 §13.2.1: the same answer in both).</summary>
    public bool Started => Volatile.Read(ref _started) == 1;

    /// <summary>The SDP answer sent in the 183, which the 200 repeats; set by the user agent while it builds the 183.</summary>
    public DialogMediaState? Media { get; set; }

    /// <inheritdoc />
    public bool Start(IPEndPoint localRtp)
    {
        ArgumentNullException.ThrowIfNull(localRtp);
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return false;
        }

        var progress = _createProgress(localRtp);
        if (progress is null)
        {
            return false;
        }

        if (_sender is null)
        {
            _send(progress.ToBytes());
            SipUasMetrics.ProvisionalResponses.Add(1, new KeyValuePair<string, object?>("delivery", "unreliable"), new KeyValuePair<string, object?>("outcome", "sent"));
            return true;
        }

        var outcome = _sender.TrySend(progress);
        if (outcome is null)
        {
            return false;
        }

        _ = outcome.ContinueWith(
            t =>
            {
                var result = t.Result;
                SipUasMetrics.ProvisionalResponses.Add(1, new KeyValuePair<string, object?>("delivery", "reliable"), new KeyValuePair<string, object?>("outcome", result switch
                {
                    ReliableOutcome.Acknowledged => "acknowledged",
                    ReliableOutcome.TimedOut => "prack_timeout",
                    _ => "stopped",
                }));
                if (result == ReliableOutcome.TimedOut)
                {
                    _timedOut();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return true;
    }

    /// <summary>
    /// What a PRACK in this early dialog gets (RFC 3262 §3, §4, §5). It acknowledges when its RAck names the outstanding
    /// RSeq and the INVITE's CSeq number and method. When our reliable 183 carries an answer, SDP in a PRACK could only
    /// be a new offer (§5), which we do not take before the call is answered: 488, leaving the 183 unacknowledged so the
    /// caller can PRACK again without it. When the 183 carries our offer, the PRACK must carry the answer (§5, RFC 3264
    /// §6): 400 without one, 488 when it is unusable (the 183 stays unacknowledged), else the negotiated media in
    /// <paramref name="answer"/>. A body of another type is 415.
    /// </summary>
    public PrackVerdict OnPrack(RAckHeader rack, SipRequest prack, out MediaUpdate? answer)
    {
        ArgumentNullException.ThrowIfNull(prack);
        answer = null;
        if (_sender?.OutstandingRSeq is not { } outstanding || rack.ResponseNumber != outstanding
            || rack.CSeqNumber != _inviteCSeq || rack.Method != SipMethods.Invite)
        {
            return PrackVerdict.NoMatch;
        }

        if (!prack.Body.IsEmpty && !SdpAnswer.IsSdp(prack.ContentType))
        {
            return new PrackVerdict(415, "Unsupported Media Type");
        }

        if (_takeAnswer is null)
        {
            if (!prack.Body.IsEmpty)
            {
                return new PrackVerdict(488, "No Offer In PRACK");
            }
        }
        else if (prack.Body.IsEmpty)
        {
            return new PrackVerdict(400, "Missing SDP Answer");
        }
        else
        {
            var (update, failure) = _takeAnswer(prack);
            if (update is null)
            {
                return new PrackVerdict(488, failure);
            }

            answer = update;
        }

        if (!_sender.TryAcknowledge(rack.ResponseNumber))
        {
            answer = null;
            return PrackVerdict.NoMatch;
        }

        _answered = answer is not null;
        return PrackVerdict.Acknowledged;
    }

    /// <summary>§3: the final 2xx waits until the reliable 183 is acknowledged (or given up); at once without one.</summary>
    public Task<ReliableOutcome> WhenSettledAsync() => _sender?.WhenSettledAsync() ?? Task.FromResult(ReliableOutcome.Acknowledged);

    /// <inheritdoc />
    public Task<bool> WhenAnsweredAsync() => _answer.Task;

    /// <summary>The handler has been told the media a PRACK answered (RFC 3262 §5): early audio now reaches the caller.</summary>
    public void AnswerDelivered() => _answer.TrySetResult(true);

    /// <summary>The INVITE got its final response (or CANCEL, or no PRACK came): no more 183 retransmissions.</summary>
    public void Stop()
    {
        _answer.TrySetResult(false);
        _sender?.Stop();
    }

    public void Dispose() => _sender?.Dispose();
}
