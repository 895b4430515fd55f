using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.SipGateway.Sip.Transactions;

namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>
/// Runs one <see cref="TrunkRegistrar"/> per configured trunk on the gateway's SIP socket, and unregisters them when
/// the host stops. Registered after the gateway's hosted service, so it starts after the socket is bound and stops
/// (unregistering) before the socket closes.
/// </summary>
public sealed class RegistrationService : BackgroundService
{
    private readonly RegistrationOptions _options;
    private readonly SipClientChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TaskCompletionSource<IReadOnlyList<TrunkRegistrar>> _trunks = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RegistrationService(IOptions<RegistrationOptions> options, SipClientChannel channel, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        foreach (var trunk in _options.Trunks)
        {
            trunk.Validate(); // fail at start-up, with the setting named, rather than on the first REGISTER
        }

        _channel = channel;
        _time = time;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The trunks, once the SIP socket is up; their <see cref="TrunkRegistrar.Status"/> is the exposed state.</summary>
    public Task<IReadOnlyList<TrunkRegistrar>> TrunksAsync(CancellationToken cancellationToken) => _trunks.Task.WaitAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_trunks.Task.IsCompletedSuccessfully)
        {
            await Task.WhenAll(_trunks.Task.Result.Select(t => t.UnregisterAsync(cancellationToken)));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Trunks.Count == 0)
        {
            _trunks.TrySetResult([]);
            return;
        }

        var binding = await _channel.WhenAttachedAsync(stoppingToken);
        var trunks = _options.Trunks
            .Select(o => new TrunkRegistrar(o, binding, _time, _loggerFactory.CreateLogger<TrunkRegistrar>()))
            .ToList();
        _trunks.TrySetResult(trunks);
        await Task.WhenAll(trunks.Select(t => t.RunAsync(stoppingToken)));
    }
}
