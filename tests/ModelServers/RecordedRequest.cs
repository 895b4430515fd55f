namespace StepAudio.Telephony.Testing.ModelServers;

/// <summary>A request the loopback model server received, as it came over the wire.</summary>
/// <param name="Path">The request path, for example <c>/v1/chat/completions</c>.</param>
/// <param name="Authorization">The Authorization header, or null.</param>
/// <param name="Body">The body as text (JSON requests), empty for multipart.</param>
/// <param name="Form">Multipart form fields by name (files as their byte length and content type).</param>
/// <param name="Files">Multipart files by field name.</param>
public sealed record RecordedRequest(
    string Path,
    string? Authorization,
    string Body,
    IReadOnlyDictionary<string, string> Form,
    IReadOnlyDictionary<string, byte[]> Files);
