using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Ingestion;

/// <summary>
/// Removes personal data (docs/events.md, Privacy) from an event's JSON before it is written to disk: the caller's
/// SIP URI is masked like on the live page, and DTMF digits are replaced unless <see cref="StoreOptions.KeepDigits"/>.
/// Every other field, known or not, is kept as received.
/// </summary>
internal sealed class PersonalDataRedactor(IOptions<StoreOptions> options)
{
    public const string MaskedDigit = "•";

    public string Redact(string type, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        switch (type)
        {
            case "CallStarted":
                foreach (var name in Names(body, "from"))
                {
                    body[name] = CallerMask.Mask(body[name]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? body[name]!.GetValue<string>() : null);
                }

                break;
            case "DtmfReceived" when !options.Value.KeepDigits:
                foreach (var name in Names(body, "digit"))
                {
                    body[name] = MaskedDigit;
                }

                break;
        }

        return body.ToJsonString();
    }

    private static List<string> Names(JsonObject body, string name) =>
        body.Select(p => p.Key).Where(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)).ToList();
}
