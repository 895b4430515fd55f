using System.Reflection;
using System.Text.Json;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>
/// Events never carry the caller's audio or words (docs/events.md, Privacy). A property that could hold samples or a
/// transcript fails here unless it is added to <see cref="ExplicitlyAllowed"/> together with the config that gates it.
/// </summary>
public sealed class PrivacyTests
{
    /// <summary>"Type.Property" entries a reviewed change allowed; none today.</summary>
    private static readonly HashSet<string> ExplicitlyAllowed = [];

    private static readonly string[] ForbiddenNameParts = ["audio", "sample", "transcript", "recording", "text", "utterance", "pcm", "wav"];

    private static readonly Type[] SampleElementTypes = [typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(float), typeof(double), typeof(Half)];

    /// <summary>Fields that carry personal data; docs/events.md must say so and how to mask them.</summary>
    private static readonly (Type Type, string Property)[] PersonalData =
    [
        (typeof(CallStarted), nameof(CallStarted.From)),
        (typeof(CallStarted), nameof(CallStarted.To)),
        (typeof(DtmfReceived), nameof(DtmfReceived.Digit)),
        (typeof(CallTransferred), nameof(CallTransferred.Target)),
    ];

    private static IEnumerable<PropertyInfo> ContractProperties() =>
        ContractTypes.Assembly.GetExportedTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => !ExplicitlyAllowed.Contains($"{p.DeclaringType!.Name}.{p.Name}"));

    [Fact]
    public void No_property_is_named_like_audio_or_words()
    {
        var offending = ContractProperties()
            .Where(p => ForbiddenNameParts.Any(part => p.Name.Contains(part, StringComparison.OrdinalIgnoreCase)))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");

        Assert.Empty(offending);
    }

    [Fact]
    public void No_property_can_hold_samples_or_raw_bytes()
    {
        var offending = ContractProperties().Where(p => CanHoldSamples(p.PropertyType)).Select(p => $"{p.DeclaringType!.Name}.{p.Name}");

        Assert.Empty(offending);
    }

    [Fact]
    public void The_privacy_section_lists_every_personal_data_field()
    {
        var document = File.ReadAllText(RepositoryFiles.Path("docs", "events.md"));
        var start = document.IndexOf("\n## Privacy", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/events.md has no Privacy section");
        var privacy = document[start..];

        foreach (var (type, property) in PersonalData)
        {
            Assert.NotNull(type.GetProperty(property));
            var field = $"`{type.Name}.{JsonNamingPolicy.CamelCase.ConvertName(property)}`";
            Assert.True(privacy.Contains(field, StringComparison.Ordinal), $"the Privacy section does not list {field}");
        }

        Assert.Contains("mask", privacy, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(typeof(byte[]), true)]
    [InlineData(typeof(float[]), true)]
    [InlineData(typeof(ReadOnlyMemory<short>), true)]
    [InlineData(typeof(IReadOnlyList<float>), true)]
    [InlineData(typeof(Stream), true)]
    [InlineData(typeof(IReadOnlyDictionary<string, int>), false)]
    [InlineData(typeof(double), false)]
    [InlineData(typeof(double?), false)]
    [InlineData(typeof(string), false)]
    public void The_sample_detector_recognises_sample_containers(Type type, bool expected)
    {
        Assert.Equal(expected, CanHoldSamples(type));
    }

    private static bool CanHoldSamples(Type type)
    {
        if (typeof(Stream).IsAssignableFrom(type))
        {
            return true;
        }

        if (type.IsArray)
        {
            return SampleElementTypes.Contains(type.GetElementType());
        }

        // Memory<T>, ArraySegment<T>, IEnumerable<T> and friends: any generic container of a sample type.
        return type.IsGenericType && Nullable.GetUnderlyingType(type) is null && type.GetGenericArguments() is [{ } element] && SampleElementTypes.Contains(element);
    }
}
