using StepAudio.Telephony.CallFlow.Flows.Definition;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// The mistakes found in one file so far, in the order they were found. The readers of one file share one collector,
/// so a single pass reports every mistake and a reader can tell whether its own read added any.
/// </summary>
internal sealed class FlowErrorCollector(string file)
{
    private readonly List<FlowError> _errors = [];

    public string File { get; } = file;

    public IReadOnlyList<FlowError> Errors => _errors;

    public int Count => _errors.Count;

    public void Add(YamlNode node, string field, string message) => Add(node.Start, field, message);

    // Marks are longs and may come from outside the parser (a tab found before parsing), so line and column are
    // clamped into 1..int.MaxValue: an error always names a place an editor can open.
    public void Add(Mark mark, string field, string message) =>
        _errors.Add(new FlowError(File, Math.Max(1, (int)Math.Min(mark.Line, int.MaxValue)), Math.Max(1, (int)Math.Min(mark.Column, int.MaxValue)), field, message));

    public SourceLocation Location(YamlNode node) => new(File, (int)Math.Max(1, node.Start.Line), (int)Math.Max(1, node.Start.Column));
}
