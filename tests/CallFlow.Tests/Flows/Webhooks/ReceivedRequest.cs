namespace StepAudio.Telephony.CallFlow.Tests.Flows.Webhooks;

/// <summary>A request as <see cref="LoopbackHttpServer"/> received it.</summary>
internal sealed record ReceivedRequest(string Method, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body as received, for binary uploads.</summary>
    public byte[] Bytes { get; init; } = [];

    /// <summary>The request line's target (path and query).</summary>
    public string Target { get; init; } = "/";
}
