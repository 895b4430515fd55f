using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// Reads the step names a step points at (<c>next</c>, <c>goto</c>, <c>no_input</c>, <c>on_failure</c>, …) and
/// remembers each one: whether it names a real step is only known once the whole file is read.
/// </summary>
internal sealed class StepReferenceReader(FlowYamlReader yaml)
{
    private readonly List<StepReference> _references = [];

    /// <summary>Every step name read so far, in file order, for the reference and reachability checks.</summary>
    public IReadOnlyList<StepReference> All => _references;

    /// <summary>
    /// Reads a step name written in <paramref name="from"/> (a step, <c>start</c> or a handler); null, with the error
    /// reported, if it is not a name.
    /// </summary>
    public string? Read(string from, YamlNode node, string field)
    {
        var target = yaml.Name(node, field, "a step name");
        if (target is not null)
        {
            _references.Add(new StepReference(from, target, node, field));
        }

        return target;
    }
}
