using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>The verbs that reach outside the call's audio: <c>webhook</c>, <c>transfer</c>, <c>record</c> (and its delivery).</summary>
internal sealed class ActionStepExecutor(FlowStepContext context, IWebhookClient webhooks)
{
    public async ValueTask<StepTransition> WebhookAsync(WebhookStep step, CancellationToken cancellationToken)
    {
        var uri = RenderHttpUrl(step.Url, "webhook");

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in step.Headers)
        {
            headers[name] = value.Render(context.Scope);
        }

        // A GET carries no body (RFC 9110 §9.3.1 gives it no meaning); what it needs goes into the URL.
        JsonObject? body = null;
        if (!string.Equals(step.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            body = context.Scope.WebhookBody();
            foreach (var (name, value) in step.Body ?? (IReadOnlyDictionary<string, FlowValueSource>)ImmutableDictionary<string, FlowValueSource>.Empty)
            {
                body[name] = value.Evaluate(context.Scope);
            }
        }

        context.Trace("webhook", $"{step.Method} {uri}");
        var response = await webhooks.SendAsync(
            new WebhookRequest(uri, step.Method.ToUpperInvariant(), headers, body, step.Timeout, step.Retries), cancellationToken);
        if (step.As is { } variable)
        {
            context.Scope.Vars[variable] = response.Json?.DeepClone();
        }

        context.Trace("webhook", string.Create(CultureInfo.InvariantCulture, $"HTTP {response.StatusCode}"));
        return StepTransition.GoTo(step.Next);
    }

    /// <summary>
    /// The URL a template renders to for this call. The loader checks literal URLs only, so one built from values
    /// (a backend named in a variable) is checked here, and a bad one fails the step.
    /// </summary>
    private Uri RenderHttpUrl(FlowTemplate template, string what)
    {
        var url = RenderUrl(template);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FlowActionException($"{what} URL '{url}' is not an absolute http(s) URL");
        }

        return uri;
    }

    /// <summary>
    /// Renders a URL template with each value escaped (RFC 3986 §2.1), so a caller id such as <c>+1 555</c> or a
    /// value holding <c>&amp;</c> or <c>#</c> stays one query value. An expression that opens the template is the
    /// base URL (<c>{{ vars.backend }}/lookup</c>) and is taken as it is.
    /// </summary>
    private string RenderUrl(FlowTemplate template)
    {
        var url = new StringBuilder();
        for (int i = 0; i < template.Parts.Count; i++)
        {
            var part = template.Parts[i];
            if (part.Expression is null)
            {
                url.Append(part.Text);
                continue;
            }

            var value = FlowValues.ToText(part.Expression.Evaluate(context.Scope));
            url.Append(i == 0 ? value : Uri.EscapeDataString(value));
        }

        return url.ToString();
    }

    public async ValueTask<StepTransition> TransferAsync(TransferStep step, CancellationToken cancellationToken)
    {
        var target = step.To.Render(context.Scope);
        context.Trace("transfer", $"{step.Mode.ToString().ToLowerInvariant()} to {target}");
        var outcome = await context.Channel.TransferAsync(target, step.Mode, step.Timeout, TransferRequester.Flow, cancellationToken);
        if (outcome.Succeeded)
        {
            return StepTransition.End(FlowOutcome.Transferred, target);
        }

        throw new FlowActionException(string.Create(
            CultureInfo.InvariantCulture, $"transfer to {target} failed: {outcome.StatusCode} {outcome.Reason}"));
    }

    public async ValueTask<StepTransition> RecordAsync(RecordStep step, CancellationToken cancellationToken)
    {
        context.Trace("record", string.Create(CultureInfo.InvariantCulture, $"up to {step.MaxLength.TotalSeconds:0}s"));
        var recording = await context.Channel.RecordAsync(
            new RecordRequest(step.Name, step.MaxLength, step.FinishOnKey, step.SilenceTimeout, step.Beep), cancellationToken);
        context.Trace("record", string.Create(
            CultureInfo.InvariantCulture, $"{recording.Path} ({recording.Length.TotalSeconds:0.0}s, ended by {recording.EndedBy})"));
        var link = step.Webhook is { Mode: RecordingDelivery.Link } ? RecordingLink(recording.Path) : null;
        if (step.As is { } name)
        {
            context.Scope.Vars[name] = new JsonObject
            {
                ["path"] = recording.Path,
                ["seconds"] = Math.Round(recording.Length.TotalSeconds, 3),
                ["url"] = link?.ToString(),
            };
        }

        if (step.Webhook is { } webhook)
        {
            await DeliverRecordingAsync(step, webhook, recording, link, cancellationToken);
        }

        return StepTransition.GoTo(step.Next);
    }

    /// <summary>
    /// Sends a finished message to the step's webhook: the WAV itself (multipart, then deleted unless <c>keep</c>)
    /// or a link to it. The body is the usual webhook JSON plus <c>recording</c>. Failures go to on_error like any
    /// webhook's; the WAV then stays, so no message is lost.
    /// </summary>
    private async ValueTask DeliverRecordingAsync(
        RecordStep step, RecordingWebhook webhook, RecordingResult recording, Uri? link, CancellationToken cancellationToken)
    {
        var uri = RenderHttpUrl(webhook.Url, "record webhook");

        var headers = webhook.Headers.ToDictionary(h => h.Key, h => h.Value.Render(context.Scope), StringComparer.OrdinalIgnoreCase);
        var body = context.Scope.WebhookBody();
        body["recording"] = new JsonObject
        {
            ["seconds"] = Math.Round(recording.Length.TotalSeconds, 3),
            ["ended_by"] = recording.EndedBy,
            ["file"] = Path.GetFileName(recording.Path),
            ["url"] = link?.ToString(),
        };

        // Only a file the channel really wrote is uploaded (the simulator records none).
        var upload = webhook.Mode == RecordingDelivery.Upload && File.Exists(recording.Path);
        context.Trace("webhook", $"POST {uri} ({(upload ? "upload" : webhook.Mode == RecordingDelivery.Link ? "link" : "no audio")})");
        var response = await webhooks.SendAsync(
            new WebhookRequest(uri, "POST", headers, body, webhook.Timeout, webhook.Retries) { AudioFile = upload ? recording.Path : null },
            cancellationToken);
        context.Trace("webhook", string.Create(CultureInfo.InvariantCulture, $"HTTP {response.StatusCode}"));
        if (upload && !webhook.Keep)
        {
            try
            {
                File.Delete(recording.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Delivered is what matters to the call; a file left behind is the operator's to clean up.
                context.Trace("record", $"{Path.GetFileName(recording.Path)} delivered but not deleted: {ex.Message}");
            }
        }
    }

    private Uri RecordingLink(string path)
    {
        var baseUrl = context.Options.RecordingBaseUrl
            ?? throw new FlowActionException("record webhook mode link needs the gateway's Recording:BaseUrl (where the recordings are served)");
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return new Uri(root, Uri.EscapeDataString(Path.GetFileName(path)));
    }
}
