using System.Reflection;
using System.Xml.Linq;
using MassTransit;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>docs/events.md and the records' XML docs describe every field there is, and nothing else.</summary>
public sealed class ContractDocumentationTests
{
    private static readonly EventsDocument Document = EventsDocument.Load();
    private static readonly NullabilityInfoContext Nullability = new();

    [Fact]
    public void Every_event_type_is_published_through_the_topology()
    {
        Assert.Equal(
            ContractTypes.Events.Select(t => t.Name).Order(),
            EventTopology.EventTypes.Select(t => t.Name).Order());
    }

    [Fact]
    public void Every_contract_record_has_a_section_whose_rows_are_exactly_its_fields()
    {
        foreach (var record in ContractTypes.Records)
        {
            Assert.True(Document.HasSection(record.Name), $"docs/events.md has no section for {record.Name}");
            var expected = ContractTypes.Parameters(record).Select(ContractTypes.JsonName).ToList();
            var documented = Document.Fields(record.Name).Select(f => f.Name).ToList();
            Assert.True(expected.SequenceEqual(documented),
                $"{record.Name}: fields are [{string.Join(", ", expected)}] but docs/events.md lists [{string.Join(", ", documented)}]");
        }
    }

    [Fact]
    public void The_nullable_column_says_yes_exactly_for_nullable_fields()
    {
        foreach (var record in ContractTypes.Records)
        {
            var documented = Document.Fields(record.Name).ToDictionary(f => f.Name);
            foreach (var parameter in ContractTypes.Parameters(record))
            {
                var nullable = Nullability.Create(parameter).WriteState == NullabilityState.Nullable;
                var row = documented[ContractTypes.JsonName(parameter)];
                Assert.True(row.Nullable == (nullable ? "yes" : "no"),
                    $"{record.Name}.{parameter.Name} is {(nullable ? "" : "not ")}nullable but docs/events.md says '{row.Nullable}'");
            }
        }
    }

    [Fact]
    public void Fields_added_after_their_event_are_optional_with_a_default()
    {
        // Versioning rule 1: an older gateway's event lacks the newer fields, so they must read as defaults.
        foreach (var type in ContractTypes.Events)
        {
            var rows = Document.Fields(type.Name);
            var firstRelease = rows[0].Since;
            foreach (var parameter in ContractTypes.Parameters(type))
            {
                var row = rows.Single(r => r.Name == ContractTypes.JsonName(parameter));
                Assert.False(string.IsNullOrWhiteSpace(row.Since), $"{type.Name}.{parameter.Name} has no Since");
                if (row.Since != firstRelease)
                {
                    Assert.True(parameter.HasDefaultValue,
                        $"{type.Name}.{parameter.Name} arrived in {row.Since}, after the event ({firstRelease}), but has no default");
                }
            }
        }
    }

    [Fact]
    public void Each_event_section_names_its_exchange_and_message_type()
    {
        foreach (var type in ContractTypes.Events)
        {
            var exchange = (string)typeof(EventTopology).GetField(type.Name + "Exchange")!.GetValue(null)!;
            var urn = MessageUrn.ForTypeString(type);
            var text = Document.Text(type.Name);
            Assert.Contains($"`{exchange}`", text, StringComparison.Ordinal);
            Assert.Contains($"`{urn}`", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_record_and_every_parameter_has_an_xml_doc_comment()
    {
        var xmlPath = Path.ChangeExtension(ContractTypes.Assembly.Location, ".xml");
        Assert.True(File.Exists(xmlPath), $"{xmlPath} missing: GenerateDocumentationFile must stay on for the contracts");
        var members = XDocument.Load(xmlPath).Root!.Element("members")!.Elements("member")
            .ToDictionary(m => (string)m.Attribute("name")!);

        foreach (var record in ContractTypes.Records)
        {
            Assert.True(members.TryGetValue("T:" + record.FullName, out var member), $"{record.Name} has no XML doc");
            Assert.False(string.IsNullOrWhiteSpace(member.Element("summary")?.Value), $"{record.Name} has no <summary>");
            var parameters = member.Elements("param").ToDictionary(p => (string)p.Attribute("name")!, p => p.Value.Trim());
            foreach (var parameter in ContractTypes.Parameters(record))
            {
                Assert.True(parameters.TryGetValue(parameter.Name!, out var text) && text.Length > 0,
                    $"{record.Name}.{parameter.Name} has no <param> doc");
            }
        }
    }
}
