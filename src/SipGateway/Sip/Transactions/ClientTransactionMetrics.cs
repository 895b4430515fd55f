using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>Counters of client transactions (Meter "StepAudio.Telephony").</summary>
internal static class ClientTransactionMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Retransmissions = Meter.CreateCounter<long>("sip.client_transactions.retransmissions");

    public static readonly Counter<long> Timeouts = Meter.CreateCounter<long>("sip.client_transactions.timeouts");

    public static readonly Counter<long> AbsorbedResponses = Meter.CreateCounter<long>("sip.client_transactions.absorbed_responses");
}
