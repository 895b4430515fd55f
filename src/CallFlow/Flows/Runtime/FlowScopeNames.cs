namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>The top-level names expressions can use while a call runs (config/flows/README.md, "names").</summary>
internal static class FlowScopeNames
{
    public const string Digits = "digits";
    public const string Input = "input";
    public const string Emotion = "emotion";
    public const string Frustration = "frustration";
    public const string Total = "total";
    public const string Caller = "caller";
    public const string Called = "called";
    public const string Trunk = "trunk";
    public const string CallId = "call_id";
    public const string Step = "step";
    public const string Errors = "errors";
    public const string Vars = "vars";

    /// <summary>Vocal sounds counted since the last gather began (and under <c>total.</c> for the whole call).</summary>
    public static readonly IReadOnlyList<string> VocalEvents = ["sigh", "laugh", "gasp", "cough", "throat_clear", "crying"];

    /// <summary>Values of <see cref="Input"/>.</summary>
    public const string InputDtmf = "dtmf";
    public const string InputSpeech = "speech";
    public const string InputNone = "none";
}
