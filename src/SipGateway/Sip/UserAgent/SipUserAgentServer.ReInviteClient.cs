using System.Diagnostics;
using System.Net;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Our own re-INVITE (a session refresh towards peers without UPDATE): the INVITE client transaction over UDP
/// (RFC 3261 §17.1.1) and the ACK, resent for every retransmitted final response (§13.2.2.4, §17.1.1.3).
/// </summary>
public sealed partial class SipUserAgentServer
{
    private readonly Dictionary<string, ReInviteClient> _reInviteClients = new(StringComparer.Ordinal);

    /// <summary>Sends a re-INVITE offering our last SDP unchanged and returns the final status (408 on Timer B).</summary>
    private async Task<int> SendReInviteAsync(SipDialog dialog, Action<SipHeaders> addHeaders, CancellationToken cancellationToken)
    {
        var branch = "z9hG4bK" + NewToken();
        uint cseq;
        byte[] offer;
        lock (_sync)
        {
            cseq = ++dialog.LocalCSeq;
            offer = dialog.InDialog.Media!.LastLocalSdp;
        }

        var client = new ReInviteClient(dialog, cseq, InDialogDestination(dialog));
        var bytes = BuildInDialogRequest(dialog, SipMethods.Invite, branch, cseq, addHeaders, "application/sdp", offer).ToBytes();
        lock (_sync)
        {
            _reInviteClients[branch] = client;
        }

        var started = Stopwatch.GetTimestamp();
        var interval = _options.T1;
        try
        {
            // Timer A doubles without a cap and stops at the first provisional response; Timer B gives up at 64*T1.
            while (!client.Final.Task.IsCompleted)
            {
                if (!client.Proceeding)
                {
                    Send(bytes, client.Destination);
                }

                await Task.WhenAny(client.Final.Task, Task.Delay(interval, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                if (Stopwatch.GetElapsedTime(started) >= _timeout64T1 && !client.Final.Task.IsCompleted)
                {
                    return 408;
                }

                interval *= 2;
            }

            return await client.Final.Task;
        }
        finally
        {
            // Keep the entry for 64*T1 so retransmitted final responses are ACKed again (§13.2.2.4); then forget it.
            _ = Task.Delay(_timeout64T1, CancellationToken.None).ContinueWith(
                _ =>
                {
                    lock (_sync)
                    {
                        _reInviteClients.Remove(branch);
                    }
                },
                TaskScheduler.Default);
        }
    }

    /// <summary>Responses to our re-INVITEs; false for anything else.</summary>
    private bool TryHandleReInviteResponse(SipResponse response)
    {
        ReInviteClient? client;
        lock (_sync)
        {
            if (response.TopVia?.Branch is not { } branch || !_reInviteClients.TryGetValue(branch, out client)
                || response.CSeq is not { Method: SipMethods.Invite } cseq || cseq.Number != client.CSeq)
            {
                return false;
            }
        }

        if (response.StatusCode < 200)
        {
            client.Proceeding = true;
            return true;
        }

        // The ACK of a 2xx is a new transaction with its own branch (§13.2.2.4); that of a non-2xx reuses the INVITE's (§17.1.1.3).
        var ackBranch = response.StatusCode < 300 ? "z9hG4bK" + NewToken() : response.TopVia!.Branch!;
        client.Ack ??= BuildAck(client, response, ackBranch);
        Send(client.Ack, client.Destination);
        if (client.Final.TrySetResult(response.StatusCode) && response.StatusCode < 300)
        {
            ApplyReInviteAnswer(client.Dialog, response);
        }

        return true;
    }

    private byte[] BuildAck(ReInviteClient client, SipResponse response, string branch)
    {
        var ack = BuildInDialogRequest(client.Dialog, SipMethods.Ack, branch, client.CSeq, null, null, null);
        if (response.StatusCode >= 300 && response.Headers.GetFirst(SipHeaderId.To) is { } to)
        {
            // §17.1.1.3: the ACK of a non-2xx carries the To of the response.
            var index = ack.Headers.IndexOf(SipHeaderId.To);
            ack.Headers.Replace(index, SipHeader.Create(SipHeaderId.To, to));
        }

        return ack.ToBytes();
    }

    /// <summary>The 2xx carries the answer to our unchanged offer; apply it in case the peer changed something anyway.</summary>
    private void ApplyReInviteAnswer(SipDialog dialog, SipResponse response)
    {
        if (!IsSdp(response.ContentType) || !SdpParser.TryParse(response.Body.Span, out var answer, out _)
            || SdpNegotiator.Renegotiate(answer, AudioCodecPreferences.Supported, dialog.InDialog.Media!.Current.Srtp) is not { IsSuccess: true } negotiation)
        {
            return;
        }

        var update = MediaUpdate.From(negotiation);
        bool changed;
        lock (_sync)
        {
            changed = dialog.InDialog.Media!.Current != update;
            dialog.InDialog.Media.Current = update;
        }

        if (changed)
        {
            NotifyMediaUpdated(dialog.Id, update);
        }
    }

    private sealed class ReInviteClient(SipDialog dialog, uint cseq, SipEndPoint destination)
    {
        public SipDialog Dialog { get; } = dialog;

        public uint CSeq { get; } = cseq;

        public SipEndPoint Destination { get; } = destination;

        public TaskCompletionSource<int> Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool Proceeding;

        public byte[]? Ack { get; set; }
    }
}
