using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>One rendered webhook call.</summary>
public sealed record WebhookRequest(Uri Url, string Method, IReadOnlyDictionary<string, string> Headers, JsonObject? Body, TimeSpan Timeout, int Retries)
{
    /// <summary>
    /// A WAV file to upload with the body: the request becomes multipart/form-data (RFC 7578) with the JSON in the
    /// part <c>metadata</c> and the file in the part <c>audio</c>. Null sends the JSON alone.
    /// </summary>
    public string? AudioFile { get; init; }
}
