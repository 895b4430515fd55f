namespace StepAudio.Telephony.SipGateway.Hosting.Health;

/// <summary>The health and readiness endpoints (section <c>Health</c>): <c>/healthz</c> and <c>/readyz</c>.</summary>
public sealed class HealthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Health";

    /// <summary>Address the endpoints listen on; loopback by default, <c>*</c> for every address (a remote prober).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>TCP port of <c>/healthz</c> and <c>/readyz</c>; 0 turns the endpoints off (OPTIONS still reflects readiness).</summary>
    public int Port { get; set; } = 9465;
}
