using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Calls;

/// <summary>One gateway process and one event consumer shared by the tests of a class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private GatewayProcess? _gateway;
    private EventCollector? _events;

    internal GatewayProcess Gateway => _gateway ?? throw new InvalidOperationException("not started");

    internal EventCollector Events => _events ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _events = await EventCollector.StartAsync();
        _gateway = await GatewayProcess.StartAsync();
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
    }
}
