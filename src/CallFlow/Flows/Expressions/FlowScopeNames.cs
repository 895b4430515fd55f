namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>
/// The names an expression may use (config/flows/README.md), shared by load-time validation and every
/// <see cref="IFlowScope"/> so that a name the validator accepts is one the runtime provides.
/// </summary>
public static class FlowScopeNames
{
    /// <summary>Keys of the last gather, without the finish key.</summary>
    public const string Digits = "digits";

    /// <summary><c>dtmf</c>, <c>speech</c> or <c>none</c>.</summary>
    public const string Input = "input";

    /// <summary>The words of the last spoken answer (empty without a recogniser or after keys).</summary>
    public const string Text = "text";

    /// <summary>The recogniser's confidence in <see cref="Text"/>, 0 to 1 (null when it gives none).</summary>
    public const string Confidence = "confidence";

    /// <summary>Latest emotion label.</summary>
    public const string Emotion = "emotion";

    /// <summary>Frustration, 0 to 1.</summary>
    public const string Frustration = "frustration";

    /// <summary>Vocal-event counts for the whole call (<c>total.sigh</c>, …).</summary>
    public const string Total = "total";

    /// <summary>The caller's number or user.</summary>
    public const string Caller = "caller";

    /// <summary>The number called.</summary>
    public const string Called = "called";

    /// <summary>The trunk the call came from, or null.</summary>
    public const string Trunk = "trunk";

    /// <summary>The gateway's call id.</summary>
    public const string CallId = "call_id";

    /// <summary>The current step's name.</summary>
    public const string Step = "step";

    /// <summary>Failures so far.</summary>
    public const string Errors = "errors";

    /// <summary>The flow's variables.</summary>
    public const string Vars = "vars";

    /// <summary>Vocal events counted since the last gather began (and, under <c>total</c>, for the whole call).</summary>
    public static IReadOnlyList<string> VocalEvents { get; } = ["sigh", "laugh", "gasp", "cough", "throat_clear", "crying"];

    /// <summary>Every top-level name.</summary>
    public static IReadOnlyList<string> Roots { get; } =
    [
        Digits, Input, Text, Confidence, Emotion, Frustration, .. VocalEvents, Total, Caller, Called, Trunk, CallId, Step, Errors, Vars,
    ];

    /// <summary>Whether <paramref name="name"/> is a top-level name.</summary>
    public static bool IsRoot(string name) => Roots.Contains(name, StringComparer.Ordinal);
}
