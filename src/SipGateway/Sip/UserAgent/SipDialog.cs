using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Transactions;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>A dialog created by our 2xx (RFC 3261 §12.1.1). Mutable fields are guarded by the UAS lock.</summary>
internal sealed class SipDialog
{
    private int _terminated;

    public required string Id { get; init; }

    public required string CallId { get; init; }

    public required string LocalTag { get; init; }

    public required string? RemoteTag { get; init; }

    /// <summary>The INVITE's To value with our tag: our From in requests we send (RFC 3261 §12.2.1.1).</summary>
    public required string LocalParty { get; init; }

    /// <summary>The INVITE's From value: our To in requests we send.</summary>
    public required string RemoteParty { get; init; }

    /// <summary>Contact URI of the INVITE (remote target), or the From URI if it had none.</summary>
    public required string RemoteTarget { get; init; }

    /// <summary>Record-Route values of the INVITE, in order (RFC 3261 §12.1.1).</summary>
    public required IReadOnlyList<string> RouteSet { get; init; }

    public required IPEndPoint RemoteSignalling { get; init; }

    public required InviteServerTransaction Invite { get; init; }

    public bool Confirmed { get; set; }

    public uint LocalCSeq { get; set; }

    /// <summary>Offer/answer, CSeq and session-timer state for in-dialog requests.</summary>
    public InDialogState InDialog { get; } = new();

    public bool IsTerminated => Volatile.Read(ref _terminated) != 0;

    /// <summary>True for exactly one caller: the one that must notify the handler.</summary>
    public bool TryMarkTerminated()
    {
        if (Interlocked.Exchange(ref _terminated, 1) != 0)
        {
            return false;
        }

        InDialog.Ended.Cancel();
        return true;
    }
}
