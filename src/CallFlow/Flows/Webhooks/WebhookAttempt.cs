namespace StepAudio.Telephony.CallFlow.Flows.Webhooks;

/// <summary>One HTTP exchange, read to the end: the status and the body's bytes (empty when none).</summary>
internal readonly record struct WebhookAttempt(int StatusCode, byte[] Body)
{
    /// <summary>Worth another try: the server failed or asked us to slow down (not a 4xx, which will not change).</summary>
    public bool IsTransient => StatusCode >= 500 || StatusCode == 429;
}
