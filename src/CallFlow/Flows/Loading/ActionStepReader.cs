using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using YamlDotNet.RepresentationModel;
using static StepAudio.Telephony.CallFlow.Flows.Loading.StepFields;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>The verbs that reach outside the call's audio: <c>webhook</c>, <c>transfer</c>, <c>record</c>.</summary>
internal sealed class ActionStepReader(FlowYamlReader yaml, StepReferenceReader references)
{
    private static readonly string[] WebhookKeys = ["url", "method", "headers", "body", "timeout", "retries", "as", "on_failure"];
    private static readonly string[] TransferKeys = ["to", "mode", "timeout", "on_failure"];
    private static readonly string[] RecordKeys = ["max_length", "finish_on_key", "silence_timeout", "beep", "as", "webhook"];
    private static readonly string[] RecordingWebhookKeys = ["url", "mode", "headers", "timeout", "retries", "keep"];
    private static readonly (string, RecordingDelivery)[] RecordingDeliveries = [("upload", RecordingDelivery.Upload), ("link", RecordingDelivery.Link)];

    /// <summary>How a call is handed on: the words of <c>transfer.mode</c> and <c>converse.transfer_mode</c>.</summary>
    public static readonly (string, TransferMode)[] TransferModes = [("refer", TransferMode.Refer), ("bridge", TransferMode.Bridge)];

    public WebhookStep? ReadWebhook(string name, YamlNode node, string field)
    {
        if (yaml.Mapping(node, field, $"a mapping with {string.Join(", ", WebhookKeys)}") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, WebhookKeys);
        var ok = true;
        var url = Required(yaml, map, field, "url", (n, f) => ReadHttpUrl(n, f), ref ok);

        var method = "POST";
        if (FlowYamlReader.Child(map, "method") is { } methodNode)
        {
            var written = yaml.Text(methodNode, FlowYamlReader.Join(field, "method"), "GET or POST");
            method = written?.ToUpperInvariant() ?? method;
            if (written is not null && method is not ("GET" or "POST"))
            {
                yaml.Error(methodNode, FlowYamlReader.Join(field, "method"), $"expected GET or POST, got '{written}'");
                ok = false;
            }

            ok &= written is not null;
        }

        var headers = new Dictionary<string, FlowTemplate>(StringComparer.OrdinalIgnoreCase);
        if (FlowYamlReader.Child(map, "headers") is { } headersNode)
        {
            ok &= ReadEntries(headersNode, FlowYamlReader.Join(field, "headers"), "header name", (n, f) => yaml.Template(n, f), headers);
        }

        Dictionary<string, FlowValueSource>? body = null;
        if (FlowYamlReader.Child(map, "body") is { } bodyNode)
        {
            body = [];
            ok &= ReadEntries(bodyNode, FlowYamlReader.Join(field, "body"), "field name", yaml.Value, body);
        }

        var step = new WebhookStep
        {
            Name = "",
            Location = default,
            Url = url ?? FlowTemplate.Literal(string.Empty),
            Method = method,
            Headers = headers,
            Body = body,
            Timeout = Optional(map, field, "timeout", yaml.Duration, ref ok) ?? TimeSpan.FromSeconds(5),
            Retries = Optional(map, field, "retries", (n, f) => yaml.Integer(n, f, 0, 10), ref ok) ?? 2,
            As = Optional(map, field, "as", (n, f) => Variable(n, f), ref ok),
            OnFailure = Optional(map, field, "on_failure", (n, f) => references.Read(name, n, f), ref ok),
        };
        return ok ? step : null;
    }

    /// <summary>
    /// Reads a mapping of names (<paramref name="keyWhat"/>s) to values into <paramref name="into"/>; false when it is
    /// not a mapping or any entry is invalid. Every entry is read, so one pass reports all of their mistakes.
    /// </summary>
    private bool ReadEntries<T>(YamlNode node, string field, string keyWhat, ReadField<T?> read, Dictionary<string, T> into)
        where T : class
    {
        if (yaml.Mapping(node, field, $"a mapping of {keyWhat}s to values") is not { } map)
        {
            return false;
        }

        var ok = true;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = yaml.Text(keyNode, field, $"a {keyWhat}");
            var value = key is null ? null : read(valueNode, FlowYamlReader.Join(field, key));
            ok &= value is not null;
            if (value is not null)
            {
                into[key!] = value;
            }
        }

        return ok;
    }

    public TransferStep? ReadTransfer(string name, YamlNode node, string field)
    {
        if (node is YamlScalarNode)
        {
            var target = ReadTarget(node, field);
            return target is null ? null : new TransferStep { Name = "", Location = default, To = target };
        }

        if (yaml.Mapping(node, field, $"a SIP URI or a mapping with {string.Join(", ", TransferKeys)}") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, TransferKeys);
        var ok = true;
        var to = Required(yaml, map, field, "to", (n, f) => ReadTarget(n, f), ref ok);

        var mode = Optional(map, field, "mode", (n, f) => yaml.Choice(n, f, TransferModes), ref ok) ?? TransferMode.Refer;

        var step = new TransferStep
        {
            Name = "",
            Location = default,
            To = to ?? FlowTemplate.Literal(string.Empty),
            Mode = mode,
            Timeout = Optional(map, field, "timeout", yaml.Duration, ref ok) ?? TimeSpan.FromSeconds(30),
            OnFailure = Optional(map, field, "on_failure", (n, f) => references.Read(name, n, f), ref ok),
        };
        return ok ? step : null;
    }

    private FlowTemplate? ReadTarget(YamlNode node, string field)
    {
        var target = yaml.Template(node, field, "a sip:, sips: or tel: URI");
        if (target is { IsLiteral: true } && !IsTransferUri(target.Source))
        {
            yaml.Error(node, field, $"expected a sip:, sips: or tel: URI such as sip:agent@pbx.example.com, got '{target.Source}'");
            return null;
        }

        return target;
    }

    private static bool IsTransferUri(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? text[..colon] : string.Empty;
        return (scheme.Equals("sip", StringComparison.OrdinalIgnoreCase) || scheme.Equals("sips", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("tel", StringComparison.OrdinalIgnoreCase))
            && colon < text.Length - 1 && !text.Any(char.IsWhiteSpace);
    }

    public RecordStep? ReadRecord(YamlNode node, string field)
    {
        if (node is YamlScalarNode)
        {
            return yaml.Boolean(node, field) == true ? new RecordStep { Name = "", Location = default } : Fail(node, field);
        }

        if (yaml.Mapping(node, field, $"true or a mapping with {string.Join(", ", RecordKeys)}") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, RecordKeys);
        var ok = true;
        var step = new RecordStep { Name = "", Location = default };
        var finishOnKey = step.FinishOnKey;
        if (FlowYamlReader.Child(map, "finish_on_key") is { } keyNode)
        {
            ok &= yaml.TryKey(keyNode, FlowYamlReader.Join(field, "finish_on_key"), out finishOnKey);
        }

        step = step with
        {
            MaxLength = Optional(map, field, "max_length", yaml.Duration, ref ok) ?? step.MaxLength,
            FinishOnKey = finishOnKey,
            SilenceTimeout = Optional(map, field, "silence_timeout", yaml.Duration, ref ok) ?? step.SilenceTimeout,
            Beep = Optional(map, field, "beep", yaml.Boolean, ref ok) ?? step.Beep,
            As = Optional(map, field, "as", (n, f) => Variable(n, f), ref ok),
            Webhook = Optional(map, field, "webhook", ReadRecordingWebhook, ref ok),
        };
        return ok ? step : null;

        RecordStep? Fail(YamlNode bad, string at)
        {
            if (bad is YamlScalarNode { Value: "false" })
            {
                yaml.Error(bad, at, "expected record: true or a mapping of settings, got false");
            }

            return null;
        }
    }

    private RecordingWebhook? ReadRecordingWebhook(YamlNode node, string field)
    {
        if (yaml.Mapping(node, field, $"a mapping with {string.Join(", ", RecordingWebhookKeys)}") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, RecordingWebhookKeys);
        var ok = true;
        var url = Required(yaml, map, field, "url", (n, f) => ReadHttpUrl(n, f), ref ok);

        var mode = Optional(
            map, field, "mode", (n, f) => yaml.Choice(n, f, RecordingDeliveries, "upload (the audio in the request) or link (a URL to fetch it)"), ref ok)
            ?? RecordingDelivery.Upload;

        var headers = new Dictionary<string, FlowTemplate>(StringComparer.OrdinalIgnoreCase);
        if (FlowYamlReader.Child(map, "headers") is { } headersNode)
        {
            ok &= ReadEntries(headersNode, FlowYamlReader.Join(field, "headers"), "header name", (n, f) => yaml.Template(n, f), headers);
        }

        var webhook = new RecordingWebhook
        {
            Url = url ?? FlowTemplate.Literal(string.Empty),
            Mode = mode,
            Headers = headers,
            Timeout = Optional(map, field, "timeout", yaml.Duration, ref ok) ?? TimeSpan.FromSeconds(30),
            Retries = Optional(map, field, "retries", (n, f) => yaml.Integer(n, f, 0, 10), ref ok) ?? 2,
            Keep = Optional(map, field, "keep", yaml.Boolean, ref ok) ?? false,
        };
        return ok ? webhook : null;
    }

    /// <summary>A templated URL; a literal one must be absolute http(s) already.</summary>
    private FlowTemplate? ReadHttpUrl(YamlNode node, string field)
    {
        var url = yaml.Template(node, field, "an http(s) URL");
        if (url is { IsLiteral: true } && !(Uri.TryCreate(url.Source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            yaml.Error(node, field, $"expected an absolute http:// or https:// URL, got '{url.Source}'");
            return null;
        }

        return url;
    }

    private string? Variable(YamlNode node, string field)
    {
        var name = yaml.Text(node, field, "a variable name");
        if (name is not null && !FlowNamePatterns.Variable().IsMatch(name))
        {
            yaml.Error(node, field, $"expected a variable name (a letter or '_', then letters, digits, '_'), got '{name}'");
            return null;
        }

        return name;
    }
}
