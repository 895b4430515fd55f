namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>Sizes of the UAS tables, so tests can show that bad input leaves nothing behind.</summary>
public sealed partial class SipUserAgentServer
{
    internal (int Dialogs, int InviteTransactions, int CachedResponses, int ClientTransactions) TableSizes
    {
        get
        {
            lock (_sync)
            {
                return (_dialogs.Count, _invites.Count, _nonInviteResponses.Count, _clientTransactions.Count);
            }
        }
    }
}
