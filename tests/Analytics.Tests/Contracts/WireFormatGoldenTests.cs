using System.Text.Json;
using System.Text.Json.Nodes;

namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>
/// Each event as MassTransit writes it, compared with golden/&lt;Type&gt;.json: a renamed, removed or retyped field
/// changes the wire format and fails here before it breaks a consumer.
/// </summary>
public sealed class WireFormatGoldenTests
{
    public static TheoryData<string> Events => ContractTypes.EventNames();

    internal static JsonNode Golden(string eventName) =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("tests", "Analytics.Tests", "Contracts", "golden", eventName + ".json")))!;

    [Theory]
    [MemberData(nameof(Events))]
    public void Serialises_exactly_as_the_golden_file(string eventName)
    {
        var type = ContractTypes.EventNamed(eventName);
        Assert.True(ContractSamples.All.TryGetValue(type, out var sample), $"ContractSamples has no {eventName}");

        var actual = JsonSerializer.SerializeToNode(sample, type, ContractTypes.Wire)!;

        var golden = Golden(eventName);
        Assert.True(JsonNode.DeepEquals(golden, actual),
            $"{eventName} on the wire:\n{actual.ToJsonString()}\ngolden:\n{golden.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void The_golden_file_sets_every_field(string eventName)
    {
        // A sample left at a default would not notice a field that silently stops being written.
        var golden = Golden(eventName).AsObject();
        foreach (var parameter in ContractTypes.Parameters(ContractTypes.EventNamed(eventName)))
        {
            var name = ContractTypes.JsonName(parameter);
            Assert.True(golden.TryGetPropertyValue(name, out var value) && value is not null, $"golden {eventName} lacks {name}");
            if (parameter.HasDefaultValue && parameter.DefaultValue is not null)
            {
                Assert.NotEqual(Convert.ToString(parameter.DefaultValue, System.Globalization.CultureInfo.InvariantCulture), value.ToJsonString());
            }
        }
    }
}
