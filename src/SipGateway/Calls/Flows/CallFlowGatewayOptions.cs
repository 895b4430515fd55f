namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// The gateway's side of call flows (section <c>CallFlow</c>, shared with the catalog's and the listening policy's
/// options): whether flows answer calls at all, and which source addresses are which trunk for routing.
/// </summary>
public sealed class CallFlowGatewayOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "CallFlow";

    /// <summary>
    /// Whether flows answer calls. When false, or when the flow directory does not exist, every call hears
    /// <c>Calls:Greeting</c> as before flows existed.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Named trunks for <c>trunk:</c> routes, recognised by the INVITE's source address.</summary>
    public IList<FlowTrunkOptions> Trunks { get; } = [];
}
