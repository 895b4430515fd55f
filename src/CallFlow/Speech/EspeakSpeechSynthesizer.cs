using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using StepAudio.Telephony.CallFlow.Processes;
using StepAudio.Telephony.CallFlow.Speech.Ssml;

namespace StepAudio.Telephony.CallFlow.Speech;

/// <summary>
/// Local text to speech with espeak-ng, brought to the telephone rate by sox. The text reaches espeak-ng
/// on standard input, never on a command line or through a shell, so no prompt can inject arguments.
/// </summary>
public sealed class EspeakSpeechSynthesizer : ISpeechSynthesizer
{
    private readonly SpeechSynthesisOptions _options;
    private readonly ConcurrentDictionary<string, Lazy<Task<short[]>>> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the synthesizer; nothing runs until the first prompt is asked for.</summary>
    public EspeakSpeechSynthesizer(SpeechSynthesisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<short>> SynthesizeAsync(string text, string? voice, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        voice = string.IsNullOrWhiteSpace(voice) ? _options.Voice : voice;
        var key = voice + "\n" + _options.WordsPerMinute.ToString(CultureInfo.InvariantCulture) + "\n" + text;
        if (_cache.Count >= _options.CacheEntries && !_cache.ContainsKey(key))
        {
            // Prompts are few and fixed in practice; a full cache means dynamic text, where recency buys little.
            _cache.Clear();
        }

        var entry = _cache.GetOrAdd(key, _ => new Lazy<Task<short[]>>(() => RenderAsync(text, voice)));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (entry.Value.IsFaulted)
        {
            // A failed rendering must not be cached: the next call tries again.
            _cache.TryRemove(new KeyValuePair<string, Lazy<Task<short[]>>>(key, entry));
            throw;
        }
    }

    private async Task<short[]> RenderAsync(string text, string voice)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout);
        var wav = Path.Combine(Path.GetTempPath(), "stepaudio-tts-" + Guid.NewGuid().ToString("N") + ".wav");
        try
        {
            // SSML goes through espeak-ng's SSML mode (-m) after the subset's say-as forms are spelled out; plain
            // text stays plain, so a '<' in it is read, not parsed.
            var ssml = SsmlText.IsSsml(text);
            string[] arguments = ["-v", voice, "-s", _options.WordsPerMinute.ToString(CultureInfo.InvariantCulture), "--stdin", "-w", wav];
            await RunAsync(_options.EspeakPath, ssml ? ["-m", .. arguments] : arguments, ssml ? SsmlText.ToEspeak(text) : text, timeout.Token);
            var raw = await RunAsync(
                _options.SoxPath,
                [wav, "-t", "raw", "-r", "8000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L", "-"],
                null,
                timeout.Token);
            if (raw.Length < 2)
            {
                throw new SpeechSynthesisException($"espeak-ng produced no audio for a prompt of {text.Length} characters.");
            }

            return MemoryMarshal.Cast<byte, short>(raw.AsSpan(0, raw.Length & ~1)).ToArray();
        }
        finally
        {
            File.Delete(wav);
        }
    }

    private static async Task<byte[]> RunAsync(string fileName, string[] arguments, string? input, CancellationToken cancellationToken)
    {
        ExternalProcessResult result;
        try
        {
            result = await ExternalProcess.RunAsync(fileName, arguments, input, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new SpeechSynthesisException($"'{fileName}' could not be started ({ex.Message}); scripts/setup.sh installs it.", ex);
        }
        catch (OperationCanceledException)
        {
            throw new SpeechSynthesisException($"'{fileName}' did not finish in time.");
        }

        if (result.ExitCode != 0)
        {
            throw new SpeechSynthesisException($"'{fileName}' failed with exit code {result.ExitCode}: {result.Errors}");
        }

        return result.Output;
    }
}
