using StepAudio.Telephony.SipGateway.Dtmf;

namespace StepAudio.Telephony.SipGateway.Tests.Dtmf;

internal sealed class RecordingDtmfSink : IDtmfSink
{
    private readonly List<(char Digit, TimeSpan Duration, string Source)> _digits = [];
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<(char Digit, TimeSpan Duration, string Source)> Digits
    {
        get
        {
            lock (_digits)
            {
                return [.. _digits];
            }
        }
    }

    public void OnDtmf(char digit, TimeSpan duration, string source)
    {
        lock (_digits)
        {
            _digits.Add((digit, duration, source));
        }

        _arrived.Release();
    }

    public async Task<IReadOnlyList<(char Digit, TimeSpan Duration, string Source)>> WaitForAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (Digits.Count < count)
        {
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} digits, got: {string.Join(",", Digits)}");
            }
        }

        return Digits;
    }
}
