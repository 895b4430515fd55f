namespace StepAudio.Telephony.SipGateway.Tests.Hosting;

/// <summary>docs/configuration.md is what the options classes and the shipped appsettings.json say, byte for byte.</summary>
public sealed class ConfigurationReferenceTests
{
    private const string WriteVariable = "STEPAUDIO_WRITE_CONFIG_REFERENCE";

    [Fact]
    public void The_configuration_reference_matches_the_options_classes()
    {
        var root = RepositoryRoot();
        var path = Path.Combine(root, ConfigurationReference.RelativePath);
        var generated = ConfigurationReference.Generate(root);
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{ConfigurationReference.RelativePath} is missing: run the test with {WriteVariable}=1");
        var committed = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(committed == generated,
            $"{ConfigurationReference.RelativePath} has drifted from the options classes: regenerate it with {WriteVariable}=1 " +
            "dotnet test tests/SipGateway.Tests -c Release --filter ConfigurationReference, and commit it");
    }

    [Fact]
    public void Every_section_of_the_shipped_appsettings_is_in_the_reference()
    {
        var root = RepositoryRoot();
        var documented = ConfigurationReference.Sections.Select(s => s.Section.Split(':')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "src", "SipGateway", "appsettings.json")));
        var missing = settings.RootElement.EnumerateObject().Select(p => p.Name)
            .Where(name => name != "Logging" && !documented.Contains(name))
            .ToList();
        Assert.True(missing.Count == 0, "appsettings.json sections not in ConfigurationReference.Sections: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_reference_documents_the_operations_settings_with_their_defaults()
    {
        var generated = ConfigurationReference.Generate(RepositoryRoot());

        Assert.Contains("| `Drain:Timeout` | time span (hh:mm:ss) | `00:00:30` |", generated, StringComparison.Ordinal);
        Assert.Contains("| `Health:Port` | integer | `9465` |", generated, StringComparison.Ordinal);
        Assert.Contains("| `Tracing:Enabled` | bool | `false` |", generated, StringComparison.Ordinal);
        Assert.Contains("| `RabbitMq:Nodes:0` | list of string | empty |", generated, StringComparison.Ordinal);
        Assert.Contains("| `SipSecurity:Trunks:0:Addresses:0` | list of string |", generated, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StepAudio.Telephony.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (StepAudio.Telephony.sln) not found above " + AppContext.BaseDirectory);
    }
}
