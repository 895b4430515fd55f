using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Speech.Ssml;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>The verbs: what each kind of step does to the call (config/flows/README.md, "Verbs").</summary>
internal sealed partial class FlowExecution
{
    private ValueTask<StepTransition> ExecuteAsync(FlowStep step, CancellationToken cancellationToken) => step switch
    {
        SayStep say => SayAsync(say, cancellationToken),
        PlayStep play => PlayAsync(play, cancellationToken),
        PauseStep pause => PauseAsync(pause, cancellationToken),
        GatherStep gather => GatherAsync(gather, cancellationToken),
        BranchStep branch => ValueTask.FromResult(Branch(branch)),
        SetStep set => ValueTask.FromResult(Set(set)),
        WebhookStep webhook => WebhookAsync(webhook, cancellationToken),
        TransferStep transfer => TransferAsync(transfer, cancellationToken),
        RecordStep record => RecordAsync(record, cancellationToken),
        HangupStep hangup => HangupAsync(hangup),
        ConverseStep converse => ConverseAsync(converse, cancellationToken),
        _ => throw new FlowActionException($"verb '{step.Verb}' is not supported by this gateway"),
    };

    private async ValueTask<StepTransition> SayAsync(SayStep step, CancellationToken cancellationToken)
    {
        var text = Spoken(step.Text);
        for (var i = 0; i < Math.Max(1, step.Loop); i++)
        {
            Trace("say", text);
            if (Interrupted(await _channel.SayAsync(text, step.Voice ?? _flow.Voice, step.Interruptible, cancellationToken)))
            {
                break;
            }
        }

        return StepTransition.GoTo(step.Next);
    }

    /// <summary>A <c>say</c> text rendered; values put into SSML are escaped, so caller data stays text.</summary>
    private string Spoken(FlowTemplate text) => SsmlText.IsSsml(text.Source) ? text.Render(_scope, SsmlText.Escape) : text.Render(_scope);

    private async ValueTask<StepTransition> PlayAsync(PlayStep step, CancellationToken cancellationToken)
    {
        for (var i = 0; i < Math.Max(1, step.Loop); i++)
        {
            Trace("play", step.File);
            if (Interrupted(await _channel.PlayAsync(step.File, step.Interruptible, cancellationToken)))
            {
                break;
            }
        }

        return StepTransition.GoTo(step.Next);
    }

    /// <summary>Traces what stopped a prompt early; true when something did.</summary>
    private bool Interrupted(PromptResult result)
    {
        switch (result)
        {
            case PromptResult.BargedIn:
                Trace("interrupt", "the caller spoke over the prompt");
                return true;
            case PromptResult.KeyPressed:
                Trace("interrupt", "a key press stopped the prompt");
                return true;
            default:
                return false;
        }
    }

    private async ValueTask<StepTransition> PauseAsync(PauseStep step, CancellationToken cancellationToken)
    {
        Trace("pause", string.Create(CultureInfo.InvariantCulture, $"{step.Length.TotalSeconds:0.###}s"));
        await _channel.PauseAsync(step.Length, cancellationToken);
        return StepTransition.GoTo(step.Next);
    }

    private async ValueTask<StepTransition> GatherAsync(GatherStep step, CancellationToken cancellationToken)
    {
        // Keys pressed before this gather belong to an earlier question; keys pressed during its prompt are
        // type-ahead and answer it.
        _channel.ClearInput();
        _scope.GatherStartedAt = _channel.Signals.Now;
        _scope.Digits = string.Empty;
        _scope.Input = GatherAnswer.None;
        _scope.Text = string.Empty;
        _scope.Confidence = null;
        var attempts = Math.Max(0, step.Retries) + 1;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            await PromptAsync(step, cancellationToken);
            GatherAnswer answer;
            _monitor.BeginWait();
            try
            {
                answer = await GatherCollector.CollectAsync(_channel, step, _options.MaxUtterance, cancellationToken);
            }
            finally
            {
                _monitor.EndWait();
            }

            if (answer.Answered)
            {
                _scope.Digits = answer.Digits;
                _scope.Input = answer.Input;
                _scope.Text = answer.Text;
                _scope.Confidence = answer.Confidence;
                _inErrorPath = false;
                Trace("input", answer.Describe());
                return StepTransition.GoTo(step.Next);
            }

            Trace("input", string.Create(CultureInfo.InvariantCulture, $"{answer.Describe()} (attempt {attempt} of {attempts})"));
        }

        // A gather that is itself the on_silence target falls through to next instead of re-entering itself forever.
        var silenceTarget = _flow.Handlers.OnSilence?.Goto;
        return StepTransition.GoTo(step.NoInput ?? (silenceTarget != step.Name ? silenceTarget : null) ?? step.Next);
    }

    private async ValueTask PromptAsync(GatherStep step, CancellationToken cancellationToken)
    {
        if (step.Say is { } say)
        {
            var text = Spoken(say);
            Trace("say", text);
            Interrupted(await _channel.SayAsync(text, step.Voice ?? _flow.Voice, step.Interruptible, cancellationToken));
        }
        else if (step.Play is { } file)
        {
            Trace("play", file);
            Interrupted(await _channel.PlayAsync(file, step.Interruptible, cancellationToken));
        }
    }

    private StepTransition Branch(BranchStep step)
    {
        foreach (var branchCase in step.Cases)
        {
            if (branchCase.Condition.IsTrue(_scope))
            {
                Trace("branch", $"{branchCase.Condition.Source} -> {branchCase.Goto}");
                return StepTransition.GoTo(branchCase.Goto);
            }
        }

        var target = step.Else ?? step.Next;
        Trace("branch", $"else -> {target ?? "(end)"}");
        return StepTransition.GoTo(target);
    }

    private StepTransition Set(SetStep step)
    {
        // In the order written, so a later value can use an earlier one.
        foreach (var (name, source) in step.Values)
        {
            var value = source.Evaluate(_scope);
            _scope.Vars[name] = value;
            Trace("set", $"vars.{name} = {value?.ToJsonString() ?? "null"}");
        }

        return StepTransition.GoTo(step.Next);
    }

    private async ValueTask<StepTransition> WebhookAsync(WebhookStep step, CancellationToken cancellationToken)
    {
        var url = RenderUrl(step.Url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FlowActionException($"webhook URL '{url}' is not an absolute http(s) URL");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in step.Headers)
        {
            headers[name] = value.Render(_scope);
        }

        // A GET carries no body (RFC 9110 §9.3.1 gives it no meaning); what it needs goes into the URL.
        JsonObject? body = null;
        if (!string.Equals(step.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            body = _scope.WebhookBody();
            foreach (var (name, value) in step.Body ?? (IReadOnlyDictionary<string, FlowValueSource>)ImmutableDictionary<string, FlowValueSource>.Empty)
            {
                body[name] = value.Evaluate(_scope);
            }
        }

        Trace("webhook", $"{step.Method} {uri}");
        var response = await _webhooks.SendAsync(
            new WebhookRequest(uri, step.Method.ToUpperInvariant(), headers, body, step.Timeout, step.Retries), cancellationToken);
        if (step.As is { } variable)
        {
            _scope.Vars[variable] = response.Json?.DeepClone();
        }

        Trace("webhook", string.Create(CultureInfo.InvariantCulture, $"HTTP {response.StatusCode}"));
        return StepTransition.GoTo(step.Next);
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

            var value = FlowValues.ToText(part.Expression.Evaluate(_scope));
            url.Append(i == 0 ? value : Uri.EscapeDataString(value));
        }

        return url.ToString();
    }

    private async ValueTask<StepTransition> TransferAsync(TransferStep step, CancellationToken cancellationToken)
    {
        var target = step.To.Render(_scope);
        Trace("transfer", $"{step.Mode.ToString().ToLowerInvariant()} to {target}");
        var outcome = await _channel.TransferAsync(target, step.Mode, step.Timeout, TransferRequester.Flow, cancellationToken);
        if (outcome.Succeeded)
        {
            return StepTransition.End(FlowOutcome.Transferred, target);
        }

        throw new FlowActionException(string.Create(
            CultureInfo.InvariantCulture, $"transfer to {target} failed: {outcome.StatusCode} {outcome.Reason}"));
    }

    private async ValueTask<StepTransition> RecordAsync(RecordStep step, CancellationToken cancellationToken)
    {
        Trace("record", string.Create(CultureInfo.InvariantCulture, $"up to {step.MaxLength.TotalSeconds:0}s"));
        var recording = await _channel.RecordAsync(
            new RecordRequest(step.Name, step.MaxLength, step.FinishOnKey, step.SilenceTimeout, step.Beep), cancellationToken);
        Trace("record", string.Create(
            CultureInfo.InvariantCulture, $"{recording.Path} ({recording.Length.TotalSeconds:0.0}s, ended by {recording.EndedBy})"));
        var link = step.Webhook is { Mode: RecordingDelivery.Link } ? RecordingLink(recording.Path) : null;
        if (step.As is { } name)
        {
            _scope.Vars[name] = new JsonObject
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
        var url = RenderUrl(webhook.Url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FlowActionException($"record webhook URL '{url}' is not an absolute http(s) URL");
        }

        var headers = webhook.Headers.ToDictionary(h => h.Key, h => h.Value.Render(_scope), StringComparer.OrdinalIgnoreCase);
        var body = _scope.WebhookBody();
        body["recording"] = new JsonObject
        {
            ["seconds"] = Math.Round(recording.Length.TotalSeconds, 3),
            ["ended_by"] = recording.EndedBy,
            ["file"] = Path.GetFileName(recording.Path),
            ["url"] = link?.ToString(),
        };

        // Only a file the channel really wrote is uploaded (the simulator records none).
        var upload = webhook.Mode == RecordingDelivery.Upload && File.Exists(recording.Path);
        Trace("webhook", $"POST {uri} ({(upload ? "upload" : webhook.Mode == RecordingDelivery.Link ? "link" : "no audio")})");
        var response = await _webhooks.SendAsync(
            new WebhookRequest(uri, "POST", headers, body, webhook.Timeout, webhook.Retries) { AudioFile = upload ? recording.Path : null },
            cancellationToken);
        Trace("webhook", string.Create(CultureInfo.InvariantCulture, $"HTTP {response.StatusCode}"));
        if (upload && !webhook.Keep)
        {
            try
            {
                File.Delete(recording.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Delivered is what matters to the call; a file left behind is the operator's to clean up.
                Trace("record", $"{Path.GetFileName(recording.Path)} delivered but not deleted: {ex.Message}");
            }
        }
    }

    private Uri RecordingLink(string path)
    {
        var baseUrl = _options.RecordingBaseUrl
            ?? throw new FlowActionException("record webhook mode link needs the gateway's Recording:BaseUrl (where the recordings are served)");
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return new Uri(root, Uri.EscapeDataString(Path.GetFileName(path)));
    }

    private async ValueTask<StepTransition> HangupAsync(HangupStep step)
    {
        // The outcome is decided before the BYE goes out, so the caller's own BYE crossing ours cannot turn it
        // into "abandoned".
        await HangupQuietlyAsync(step.Reason);
        return StepTransition.End(FlowOutcome.Completed, step.Reason);
    }
}
