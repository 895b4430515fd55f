using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Flows;

/// <summary>
/// One gateway answering with call flows written into a temporary directory (CallFlow__Directory): a DTMF menu as the
/// default and a REFER transfer on its own number.
/// </summary>
public sealed class FlowGatewayFixture : IAsyncLifetime
{
    /// <summary>The number routed to the transfer flow.</summary>
    public const string TransferNumber = "5550200";

    /// <summary>Where the transfer flow sends the caller.</summary>
    public const string AgentUri = "sip:agent@127.0.0.1:5999";

    public const string MenuFlow = """
        flow: menu
        start: menu
        steps:
          menu:
            gather:
              say: "Press two."
              max_digits: 1
              timeout: 15s
              retries: 0
            next: route
          route:
            branch:
              - if: digits == "2"
                goto: chose_two
              - else: chose_other
          chose_two:
            hangup: { reason: chose-two }
          chose_other:
            hangup: { reason: chose-other }
        """;

    public const string TransferFlow = $"""
        flow: handover
        start: to_agent
        steps:
          to_agent:
            transfer:
              to: "{AgentUri}"
              mode: refer
              timeout: 30s
        """;

    public const string Routes = $"""
        routes:
          - did: "{TransferNumber}"
            flow: handover
        default: menu
        """;

    private readonly string _flows = Directory.CreateTempSubdirectory("stepaudio-flows-").FullName;
    private GatewayProcess? _gateway;
    private EventCollector? _events;

    internal GatewayProcess Gateway => _gateway ?? throw new InvalidOperationException("not started");

    internal EventCollector Events => _events ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_flows, "menu.yaml"), MenuFlow);
        await File.WriteAllTextAsync(Path.Combine(_flows, "handover.yaml"), TransferFlow);
        await File.WriteAllTextAsync(Path.Combine(_flows, "routes.yaml"), Routes);
        _events = await EventCollector.StartAsync();
        _gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["CallFlow__Enabled"] = "true",
            ["CallFlow__Directory"] = _flows,
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_events is not null)
        {
            await _events.DisposeAsync();
        }

        Directory.Delete(_flows, recursive: true);
    }
}
