namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>What <see cref="SipRequestFilter.Check"/> decided; Accept and Drop allocate nothing.</summary>
public readonly struct FilterDecision
{
    private FilterDecision(FilterAction action, int statusCode, string? reason, IReadOnlyList<KeyValuePair<string, string>>? headers)
    {
        Action = action;
        StatusCode = statusCode;
        Reason = reason;
        Headers = headers ?? [];
    }

    public static FilterDecision Accept { get; } = new(FilterAction.Accept, 0, null, null);

    public static FilterDecision Drop { get; } = new(FilterAction.Drop, 0, null, null);

    public FilterAction Action { get; }

    /// <summary>Response status for <see cref="FilterAction.Reject"/>.</summary>
    public int StatusCode { get; }

    public string? Reason { get; }

    /// <summary>Headers the rejection must carry, such as WWW-Authenticate.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public static FilterDecision Reject(int statusCode, string reason, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(FilterAction.Reject, statusCode, reason, headers);

    public override string ToString() => Action == FilterAction.Reject ? $"Reject {StatusCode} {Reason}" : Action.ToString();
}
