namespace StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;

/// <summary>What the flow asks of one conversation (a <c>converse</c> step, its templates rendered).</summary>
/// <param name="Step">The step's name (for events and traces).</param>
/// <param name="Instructions">The system prompt: the step's instructions and goal.</param>
/// <param name="Greeting">Spoken first, or null.</param>
/// <param name="Actions">Allowed tool names.</param>
/// <param name="Steps">Steps <c>goto_step</c> may name.</param>
/// <param name="MaxTurns">Most model turns.</param>
/// <param name="MaxDuration">Longest the conversation may last.</param>
/// <param name="Voice">Voice of the replies, or null.</param>
/// <param name="SetVariable">Stores a value the model gave with <c>set_variable</c> into <c>vars</c> at once.</param>
/// <param name="Trace">Writes one line of the call's trace (no words unless transcripts are on).</param>
public sealed record ConverseRequest(
    string Step,
    string Instructions,
    string? Greeting,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Steps,
    int MaxTurns,
    TimeSpan MaxDuration,
    string? Voice,
    Action<string, string> SetVariable,
    Action<string, string> Trace);
