namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>One trunk routes can name (an element of <c>CallFlow:Trunks</c>).</summary>
public sealed class FlowTrunkOptions
{
    /// <summary>The name <c>routes.yaml</c> uses (<c>trunk: carrier-a</c>).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Signalling source addresses: single addresses or CIDR ranges ("10.0.0.0/8", "203.0.113.5").</summary>
    public IList<string> Addresses { get; } = [];
}
