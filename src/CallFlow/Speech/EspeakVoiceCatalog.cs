using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using StepAudio.Telephony.CallFlow.Flows.Validation;
using StepAudio.Telephony.CallFlow.Processes;

namespace StepAudio.Telephony.CallFlow.Speech;

/// <summary>
/// The voices and variants of the installed espeak-ng (<c>espeak-ng --voices</c>, <c>--voices=variant</c>), read once
/// per executable and process. espeak-ng falls back to its default for an unknown variant (<c>en-us+zz</c>) without a
/// word, so variants are checked as strictly as voices.
/// </summary>
public sealed partial class EspeakVoiceCatalog : IVoiceCatalog
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<EspeakVoiceCatalog>>> Loaded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _variants = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the catalog from the two listings' text.</summary>
    public EspeakVoiceCatalog(string voicesListing, string variantsListing)
    {
        ArgumentNullException.ThrowIfNull(voicesListing);
        ArgumentNullException.ThrowIfNull(variantsListing);
        Voices = Parse(voicesListing);
        var variants = Parse(variantsListing);
        Variants = [.. variants.Select(v => v.File[(v.File.LastIndexOf('/') + 1)..]).Order(StringComparer.OrdinalIgnoreCase)];
        _variants.UnionWith(variants.Select(v => v.Name));
        foreach (var voice in Voices)
        {
            _names.Add(voice.Language);
            _names.Add(voice.Name);
            _names.Add(voice.File);
            _names.UnionWith(voice.OtherLanguages);
        }

        _variants.UnionWith(Variants);
    }

    /// <summary>The voices, in espeak-ng's order (by language).</summary>
    public IReadOnlyList<EspeakVoice> Voices { get; }

    /// <summary>Variant names for <c>voice+variant</c> (<c>f3</c>, <c>klatt</c>, …).</summary>
    public IReadOnlyList<string> Variants { get; }

    /// <summary>The catalog of <paramref name="espeakPath"/>, listed on first use and then kept.</summary>
    /// <exception cref="SpeechSynthesisException">espeak-ng could not be run.</exception>
    public static async Task<EspeakVoiceCatalog> LoadAsync(string espeakPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(espeakPath);
        var entry = Loaded.GetOrAdd(espeakPath, path => new Lazy<Task<EspeakVoiceCatalog>>(() => ListAsync(path)));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SpeechSynthesisException) when (entry.Value.IsFaulted)
        {
            Loaded.TryRemove(new KeyValuePair<string, Lazy<Task<EspeakVoiceCatalog>>>(espeakPath, entry));
            throw;
        }
    }

    /// <inheritdoc />
    public string? Check(string voice)
    {
        ArgumentNullException.ThrowIfNull(voice);
        var plus = voice.IndexOf('+', StringComparison.Ordinal);
        var name = plus < 0 ? voice : voice[..plus];
        if (!_names.Contains(name))
        {
            var codes = Voices.Select(v => v.Language).ToList();
            return $"espeak-ng has no voice '{name}'{NameSuggestions.Hint(name, codes)}; `stepaudio voices` lists them";
        }

        if (plus >= 0 && !_variants.Contains(voice[(plus + 1)..]))
        {
            var variant = voice[(plus + 1)..];
            return $"espeak-ng has no variant '{variant}'{NameSuggestions.Hint(variant, Variants)} (it would speak '{name}' unchanged); "
                + "`stepaudio voices --variants` lists them";
        }

        return null;
    }

    /// <summary>The voices of an <c>espeak-ng --voices</c> listing; the header and unreadable lines are skipped.</summary>
    public static IReadOnlyList<EspeakVoice> Parse(string listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var voices = new List<EspeakVoice>();
        foreach (var line in listing.Split('\n'))
        {
            var match = VoiceLine().Match(line.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var others = OtherLanguage().Matches(match.Groups["others"].Value).Select(m => m.Groups[1].Value).ToList();
            var gender = match.Groups["gender"].Value;
            voices.Add(new EspeakVoice(
                match.Groups["language"].Value, match.Groups["name"].Value, gender[(gender.IndexOf('/', StringComparison.Ordinal) + 1)..],
                match.Groups["file"].Value, others));
        }

        return voices;
    }

    private static async Task<EspeakVoiceCatalog> ListAsync(string espeakPath)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return new EspeakVoiceCatalog(
            await RunAsync(espeakPath, "--voices", timeout.Token).ConfigureAwait(false),
            await RunAsync(espeakPath, "--voices=variant", timeout.Token).ConfigureAwait(false));
    }

    private static async Task<string> RunAsync(string espeakPath, string argument, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ExternalProcess.RunAsync(espeakPath, [argument], null, cancellationToken).ConfigureAwait(false);
            return result.ExitCode == 0
                ? System.Text.Encoding.UTF8.GetString(result.Output)
                : throw new SpeechSynthesisException($"'{espeakPath} {argument}' failed with exit code {result.ExitCode}: {result.Errors}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new SpeechSynthesisException($"'{espeakPath}' could not be started ({ex.Message}); scripts/setup.sh installs it.", ex);
        }
        catch (OperationCanceledException ex)
        {
            throw new SpeechSynthesisException($"'{espeakPath} {argument}' did not finish in time.", ex);
        }
    }

    // " 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)"
    [GeneratedRegex(@"^\s*\d+\s+(?<language>\S+)\s+(?<gender>\S+/\S*)\s+(?<name>\S+)\s+(?<file>\S+)\s*(?<others>.*)$")]
    private static partial Regex VoiceLine();

    [GeneratedRegex(@"\(([^\s()]+)\s+\d+\)")]
    private static partial Regex OtherLanguage();
}
