using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Outbox;
using StepAudio.Telephony.CallFlow.Flows.Routing;
using StepAudio.Telephony.CallFlow.Flows.Webhooks;
using StepAudio.Telephony.CallFlow.Policy;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.SipGateway.Calls;
using StepAudio.Telephony.SipGateway.Calls.Admission;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.SipGateway.Calls.Flows;
using StepAudio.Telephony.SipGateway.Hosting;
using StepAudio.Telephony.SipGateway.Hosting.Health;
using StepAudio.Telephony.SipGateway.Media.Recording;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Sip.Registration;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Hosting;

/// <summary>
/// Writes docs/configuration.md from the gateway's options classes: every bindable property as a configuration key,
/// its type, its default (the class's, overridden by the shipped appsettings.json) and its XML summary read from the
/// source file. Keeping the document generated means it cannot drift from the code.
/// </summary>
internal static partial class ConfigurationReference
{
    /// <summary>The sections the gateway binds (Program.cs and the AddX extensions it calls), in document order.</summary>
    public static readonly (string Section, Type Options)[] Sections =
    [
        ("Sip", typeof(SipOptions)),
        ("SipSecurity", typeof(SipSecurityOptions)),
        ("Registrations:0", typeof(RegistrationOptions)),
        ("Rtp", typeof(RtpOptions)),
        ("Calls", typeof(CallsOptions)),
        ("CallFlow", typeof(CallFlowGatewayOptions)),
        ("CallFlow", typeof(FlowCatalogOptions)),
        ("CallFlow", typeof(ListeningPolicyOptions)),
        ("Webhooks", typeof(WebhookOptions)),
        ("Prompts", typeof(PromptOptions)),
        ("Speech", typeof(SpeechSynthesisOptions)),
        ("SpeechEndpoint", typeof(Inference.Synthesis.SpeechEndpointOptions)),
        ("Conversation", typeof(Inference.Conversation.ConversationOptions)),
        ("Conversation:Endpoints:0", typeof(Inference.Conversation.ConversationEndpointOptions)),
        ("Recognition", typeof(Inference.Recognition.RecognitionOptions)),
        ("Recording", typeof(RecordingOptions)),
        ("Vad", typeof(VadOptions)),
        ("Analysis", typeof(CallAnalysisOptions)),
        ("Paralinguistics", typeof(ParalinguisticsOptions)),
        ("Frustration", typeof(FrustrationOptions)),
        ("RabbitMq", typeof(RabbitMqOptions)),
        ("Publishing", typeof(EventPublishingOptions)),
        ("Publishing:Outbox", typeof(OutboxOptions)),
        ("Metrics", typeof(MetricsOptions)),
        ("Health", typeof(HealthOptions)),
        ("Drain", typeof(DrainOptions)),
        ("Admission", typeof(AdmissionOptions)),
        ("Tracing", typeof(TracingOptions)),
    ];

    public const string RelativePath = "docs/configuration.md";

    /// <summary>The document for the repository at <paramref name="repositoryRoot"/>.</summary>
    public static string Generate(string repositoryRoot)
    {
        var shipped = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(repositoryRoot, "src", "SipGateway", "appsettings.json"), optional: false)
            .Build();
        var sources = new SourceDocs(Path.Combine(repositoryRoot, "src"));
        var text = new StringBuilder();
        text.Append("# Gateway configuration reference\n\n")
            .Append("Generated from the options classes by `tests/SipGateway.Tests/Hosting/ConfigurationReferenceTests.cs`; do not edit by\n")
            .Append("hand. After changing an options class or `src/SipGateway/appsettings.json`, regenerate it with\n")
            .Append("`STEPAUDIO_WRITE_CONFIG_REFERENCE=1 dotnet test tests/SipGateway.Tests -c Release --filter ConfigurationReference`.\n\n")
            .Append("Every key can be set in `appsettings.json` beside the executable, as an environment variable (`:` becomes `__`:\n")
            .Append("`Sip__Port=5070`) or on the command line (`--Sip:Port=5070`); later sources win. Defaults are the class's, overridden\n")
            .Append("by the shipped `appsettings.json`. Lists are indexed from 0 (`SipSecurity:Trunks:0:Addresses:0=203.0.113.0/24`).\n");
        foreach (var group in Sections.GroupBy(s => s.Section))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {group.Key}\n\n")
                .Append(CultureInfo.InvariantCulture, $"Options: {string.Join(", ", group.Select(g => "`" + g.Options.Name + "`"))}.\n\n")
                .Append("| Key | Type | Default | Meaning |\n|---|---|---|---|\n");
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (section, type) in group)
            {
                var instance = Activator.CreateInstance(type)!;
                shipped.GetSection(section).Bind(instance);
                foreach (var row in Rows(section, type, instance, sources, depth: 0).Where(r => seen.Add(r.Key)))
                {
                    text.Append(CultureInfo.InvariantCulture, $"| `{row.Key}` | {row.Type} | {row.Default} | {row.Meaning} |\n");
                }
            }
        }

        return text.ToString();
    }

    private static IEnumerable<(string Key, string Type, string Default, string Meaning)> Rows(
        string prefix, Type type, object? instance, SourceDocs sources, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null)
            {
                continue;
            }

            var key = prefix + ":" + property.Name;
            var value = instance is null ? null : property.GetValue(instance);
            var meaning = sources.Summary(type, property.Name);
            var kind = property.PropertyType;
            if (IsScalar(kind))
            {
                if (property.SetMethod is { IsPublic: true })
                {
                    yield return (key, TypeName(kind), Format(value), meaning);
                }
            }
            else if (ElementType(kind) is { } element)
            {
                if (IsScalar(element))
                {
                    yield return (key + ":0", "list of " + TypeName(element), Format(value), meaning);
                }
                else if (depth < 3)
                {
                    yield return (key + ":0", "list", Format(value), meaning);
                    foreach (var row in Rows(key + ":0", element, null, sources, depth + 1))
                    {
                        yield return row;
                    }
                }
            }
            else if (kind.IsClass && depth < 3)
            {
                foreach (var row in Rows(key, kind, value, sources, depth + 1))
                {
                    yield return row;
                }
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri)
            || t == typeof(DateTimeOffset);
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0] is { } element && !typeof(IDictionary).IsAssignableFrom(type) ? element : null;
    }

    private static string TypeName(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t == typeof(string) => "string",
            _ when t == typeof(bool) => "bool",
            _ when t == typeof(int) || t == typeof(long) || t == typeof(ushort) || t == typeof(short) || t == typeof(uint) => "integer",
            _ when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "number",
            _ when t == typeof(TimeSpan) => "time span (hh:mm:ss)",
            _ when t == typeof(Uri) => "URI",
            _ when t.IsEnum => string.Join(" \\| ", Enum.GetNames(t)),
            _ => t.Name,
        };
    }

    private static string Format(object? value) => value switch
    {
        null => "none",
        string s when s.Length == 0 => "empty",
        string s => "`" + s.Replace("|", "\\|", StringComparison.Ordinal) + "`",
        bool b => b ? "`true`" : "`false`",
        TimeSpan t => "`" + t.ToString("c", CultureInfo.InvariantCulture) + "`",
        IFormattable f => "`" + f.ToString(null, CultureInfo.InvariantCulture) + "`",
        IEnumerable e => e.Cast<object?>().ToList() is { Count: > 0 } items
            ? "`" + string.Join(", ", items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))) + "`"
            : "empty",
        _ => "`" + value + "`",
    };

    /// <summary>XML summaries of properties, read from the C# sources (the projects do not emit documentation files).</summary>
    private sealed partial class SourceDocs(string sourceRoot)
    {
        private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

        public string Summary(Type type, string property)
        {
            var text = File(type);
            if (text is null)
            {
                return string.Empty;
            }

            var match = Regex.Match(text, @"((?:[ \t]*///[^\n]*\n)+)[ \t]*public [^\n=;]*?\b" + Regex.Escape(property) + @"\s*(?:\{|=>)");
            if (!match.Success)
            {
                return string.Empty;
            }

            var doc = string.Join(' ', match.Groups[1].Value.Split('\n').Select(l => l.Trim().TrimStart('/').Trim()));
            var summary = SummaryTag().Match(doc) is { Success: true } s ? s.Groups[1].Value : string.Empty;
            summary = SeeTag().Replace(summary, m => m.Groups[1].Value.Split('.')[^1]);
            summary = CodeTag().Replace(summary, m => "`" + m.Groups[1].Value + "`");
            summary = AnyTag().Replace(summary, string.Empty);
            return Spaces().Replace(summary, " ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
        }

        private string? File(Type type)
        {
            var name = type.Name;
            if (!_files.TryGetValue(name, out var text))
            {
                var declaration = new Regex(@"\b(class|record)\s+" + Regex.Escape(name) + @"\b");
                var path = Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
                    .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                    .FirstOrDefault(p => declaration.IsMatch(System.IO.File.ReadAllText(p)));
                text = path is null ? string.Empty : System.IO.File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
                _files[name] = text;
            }

            return text.Length == 0 ? null : text;
        }

        [GeneratedRegex(@"<summary>\s*(.*?)\s*</summary>")]
        private static partial Regex SummaryTag();

        [GeneratedRegex(@"<see(?:also)?\s+(?:cref|langword|href)=""([^""]*)""\s*/>")]
        private static partial Regex SeeTag();

        [GeneratedRegex(@"<c>(.*?)</c>")]
        private static partial Regex CodeTag();

        [GeneratedRegex(@"<[^>]+>")]
        private static partial Regex AnyTag();

        [GeneratedRegex(@"\s+")]
        private static partial Regex Spaces();
    }
}
