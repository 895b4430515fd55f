using System.CommandLine;
using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.Cli.Voices;

/// <summary>
/// <c>voices [--language PREFIX] [--variants] [--json]</c>: the espeak-ng voices a flow's <c>voice</c> may name (the
/// language column), and with <c>--variants</c> the <c>+variant</c> suffixes. Exit 0, or 1 when espeak-ng cannot run.
/// </summary>
public static class VoicesCommand
{
    /// <summary>espeak-ng could not be run.</summary>
    public const int Unavailable = 1;

    /// <summary>Builds the command; output goes to the given writers so tests can read it.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var language = new Option<string?>("--language") { Description = "Only voices whose language starts with this, e.g. en or de" };
        var variants = new Option<bool>("--variants") { Description = "List the variants (voice+variant, e.g. en-us+f3) instead" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var espeak = new Option<string>("--espeak") { Description = "The espeak-ng executable", DefaultValueFactory = _ => new SpeechSynthesisOptions().EspeakPath };
        var command = new Command("voices", "List the voices and languages `say` can use (espeak-ng)") { language, variants, json, espeak };
        command.SetAction(async (parse, cancellationToken) =>
        {
            EspeakVoiceCatalog catalog;
            try
            {
                catalog = await EspeakVoiceCatalog.LoadAsync(parse.GetValue(espeak)!, cancellationToken).ConfigureAwait(false);
            }
            catch (SpeechSynthesisException ex)
            {
                await error.WriteLineAsync($"voices: {ex.Message}").ConfigureAwait(false);
                return Unavailable;
            }

            if (parse.GetValue(variants))
            {
                Print(output, parse.GetValue(json), catalog.Variants, v => new JsonObject { ["variant"] = v }, v => v);
                return 0;
            }

            var prefix = parse.GetValue(language) ?? string.Empty;
            var voices = catalog.Voices.Where(v => v.Language.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || v.OtherLanguages.Any(o => o.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList();
            Print(
                output,
                parse.GetValue(json),
                voices,
                v => new JsonObject
                {
                    ["language"] = v.Language,
                    ["name"] = v.Name,
                    ["gender"] = v.Gender,
                    ["file"] = v.File,
                    ["also"] = new JsonArray([.. v.OtherLanguages.Select(o => (JsonNode?)o)]),
                },
                v => $"{v.Language,-16} {v.Name.Replace('_', ' '),-40} {v.Gender,-2} {(v.OtherLanguages.Count > 0 ? "also: " + string.Join(", ", v.OtherLanguages) : string.Empty)}".TrimEnd());
            return 0;
        });
        return command;
    }

    private static void Print<T>(TextWriter output, bool json, IReadOnlyList<T> items, Func<T, JsonObject> toJson, Func<T, string> toLine)
    {
        if (json)
        {
            output.WriteLine(new JsonArray([.. items.Select(i => (JsonNode?)toJson(i))]).ToJsonString(new() { WriteIndented = true }));
            return;
        }

        foreach (var item in items)
        {
            output.WriteLine(toLine(item));
        }

        output.WriteLine($"{items.Count} {(typeof(T) == typeof(string) ? "variants" : "voices")}; a flow writes the first column as voice: (add +variant to change the speaker)");
    }
}
