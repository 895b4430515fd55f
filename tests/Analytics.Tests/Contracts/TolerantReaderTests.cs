using System.Text.Json;
using System.Text.Json.Nodes;

namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>
/// Versioning rules 1 and 3 for every event: a consumer on this version reads events from newer producers (extra
/// fields) and from older ones (only the fields the event first had).
/// </summary>
public sealed class TolerantReaderTests
{
    public static TheoryData<string> Events => ContractTypes.EventNames();

    [Theory]
    [MemberData(nameof(Events))]
    public void Unknown_fields_from_a_newer_producer_are_ignored(string eventName)
    {
        var type = ContractTypes.EventNamed(eventName);
        var golden = WireFormatGoldenTests.Golden(eventName);
        var newer = golden.DeepClone().AsObject();
        newer["addedInV1_9"] = 1.5;
        newer["futureSummary"] = new JsonObject { ["nested"] = new JsonArray(1, "two", null) };
        newer["futureFlag"] = null;

        var read = JsonSerializer.Deserialize(newer.ToJsonString(), type, ContractTypes.Wire);

        var back = JsonSerializer.SerializeToNode(read, type, ContractTypes.Wire);
        Assert.True(JsonNode.DeepEquals(golden, back), $"{eventName} read with extra fields became {back?.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void An_older_producer_without_the_optional_fields_reads_with_their_defaults(string eventName)
    {
        var type = ContractTypes.EventNamed(eventName);
        var parameters = ContractTypes.Parameters(type);
        var older = WireFormatGoldenTests.Golden(eventName).DeepClone().AsObject();
        foreach (var optional in parameters.Where(p => p.HasDefaultValue))
        {
            older.Remove(ContractTypes.JsonName(optional));
        }

        var read = JsonSerializer.Deserialize(older.ToJsonString(), type, ContractTypes.Wire)!;

        foreach (var parameter in parameters)
        {
            var value = type.GetProperty(parameter.Name!)!.GetValue(read);
            if (parameter.HasDefaultValue)
            {
                Assert.True(Equals(parameter.DefaultValue, value), $"{eventName}.{parameter.Name} read as {value}, not its default");
            }
            else
            {
                Assert.True(value is not null, $"{eventName}.{parameter.Name} was lost");
                Assert.True(JsonNode.DeepEquals(older[ContractTypes.JsonName(parameter)],
                    JsonSerializer.SerializeToNode(value, parameter.ParameterType, ContractTypes.Wire)),
                    $"{eventName}.{parameter.Name} changed on the way in");
            }
        }
    }
}
