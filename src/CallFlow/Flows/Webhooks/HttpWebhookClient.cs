using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallFlow.Flows.Webhooks;

/// <summary>
/// Sends <c>webhook</c> steps over HTTP through a Polly pipeline: retries with exponential backoff and jitter around
/// a circuit breaker per host (shared by every call, so one dead backend stops costing each caller its timeouts)
/// around a per-attempt timeout. Owns the <see cref="HttpClient"/> it is given.
/// </summary>
public sealed partial class HttpWebhookClient : IWebhookClient, IDisposable
{
    private static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeout = new("webhook-attempt-timeout");

    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<WebhookAttempt> _timeout;
    private readonly ConcurrentDictionary<int, ResiliencePipeline<WebhookAttempt>> _retries = new();
    private readonly ConcurrentDictionary<string, ResiliencePipeline<WebhookAttempt>> _breakers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the client; <paramref name="time"/> drives Polly's delays, timeouts and breaker clock.</summary>
    public HttpWebhookClient(HttpClient http, WebhookOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BreakerFailures, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxResponseBytes, 1, nameof(options));
        _http = http;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _timeout = new ResiliencePipelineBuilder<WebhookAttempt> { TimeProvider = time }
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = static args => ValueTask.FromResult(args.Context.Properties.GetValue(AttemptTimeout, TimeSpan.FromSeconds(5))),
            })
            .Build();
    }

    /// <inheritdoc />
    public async ValueTask<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.Url.Authority;
        var retry = _retries.GetOrAdd(Math.Max(0, request.Retries), BuildRetry);
        var breaker = _breakers.GetOrAdd(host, BuildBreaker);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AttemptTimeout, request.Timeout > TimeSpan.Zero ? request.Timeout : TimeSpan.FromSeconds(5));
        WebhookAttempt attempt;
        try
        {
            attempt = await retry.ExecuteAsync(
                (ctx, _) => breaker.ExecuteAsync((ctx2, _) => _timeout.ExecuteAsync((ctx3, _) => SendOnceAsync(request, ctx3.CancellationToken), ctx2, this), ctx, this),
                context,
                this);
        }
        catch (BrokenCircuitException)
        {
            Count("circuit_open");
            throw new FlowActionException($"circuit open for host {host}: it failed {_options.BreakerFailures} times in a row");
        }
        catch (TimeoutRejectedException)
        {
            Count("failed");
            throw new FlowActionException(string.Create(
                CultureInfo.InvariantCulture, $"{host} did not answer within {request.Timeout.TotalSeconds:0.###}s ({request.Retries} retries)"));
        }
        catch (HttpRequestException ex)
        {
            Count("failed");
            throw new FlowActionException($"{host} could not be reached: {ex.Message}", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own Timeout; ours is the per-attempt one, so this only happens when it is set shorter.
            Count("failed");
            throw new FlowActionException($"{host} did not answer in time");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (attempt.StatusCode is < 200 or > 299)
        {
            Count("failed");
            throw new FlowActionException(string.Create(CultureInfo.InvariantCulture, $"{request.Method} {request.Url} answered HTTP {attempt.StatusCode}"));
        }

        var json = ParseJson(attempt.Body, request.Url);
        Count("ok");
        return new WebhookResponse(attempt.StatusCode, json);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static void Count(string result) => FlowMetrics.Webhooks.Add(1, new KeyValuePair<string, object?>("result", result));

    private static JsonNode? ParseJson(byte[] body, Uri url)
    {
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            Count("failed");
            throw new FlowActionException($"{url} answered with a body that is not JSON: {ex.Message}", ex);
        }
    }

    private static MultipartFormDataContent Multipart(JsonObject? body, string audioFile)
    {
        FileStream file;
        try
        {
            file = File.OpenRead(audioFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FlowActionException($"recording '{audioFile}' cannot be read for upload: {ex.Message}", ex);
        }

        var audio = new StreamContent(file);
        audio.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return new MultipartFormDataContent
        {
            { new StringContent((body ?? []).ToJsonString(), Encoding.UTF8, "application/json"), "metadata" },
            { audio, "audio", Path.GetFileName(audioFile) },
        };
    }

    private async ValueTask<WebhookAttempt> SendOnceAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.AudioFile is { } audio)
        {
            // Opened per attempt, so a retry sends the whole file again.
            message.Content = Multipart(request.Body, audio);
        }
        else if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value) && message.Content?.Headers.TryAddWithoutValidation(name, value) != true)
            {
                throw new FlowActionException($"webhook header '{name}' cannot be sent");
            }
        }

        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.Content.Headers.ContentLength > _options.MaxResponseBytes)
        {
            throw new FlowActionException(TooLarge(request.Url));
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > _options.MaxResponseBytes)
            {
                throw new FlowActionException(TooLarge(request.Url));
            }

            body.Write(buffer, 0, read);
        }

        return new WebhookAttempt((int)response.StatusCode, body.ToArray());
    }

    private string TooLarge(Uri url) =>
        string.Create(CultureInfo.InvariantCulture, $"{url} answered with more than {_options.MaxResponseBytes} bytes");

    private static PredicateBuilder<WebhookAttempt> TransientFailures() => new PredicateBuilder<WebhookAttempt>()
        .Handle<HttpRequestException>()
        .Handle<TimeoutRejectedException>()
        .HandleResult(static attempt => attempt.IsTransient);

    private ResiliencePipeline<WebhookAttempt> BuildRetry(int retries)
    {
        var builder = new ResiliencePipelineBuilder<WebhookAttempt> { TimeProvider = _time };
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<WebhookAttempt>
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = TransientFailures(),
            });
        }

        return builder.Build();
    }

    private ResiliencePipeline<WebhookAttempt> BuildBreaker(string host) =>
        new ResiliencePipelineBuilder<WebhookAttempt> { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<WebhookAttempt>
            {
                // Polly v8 breaks on a failure ratio; a ratio of 1 over at least N calls means N failures with no
                // success in the sampling window: the "N in a row" of the flow format, as long as the failures are that close.
                FailureRatio = 1.0,
                MinimumThroughput = _options.BreakerFailures,
                SamplingDuration = _options.BreakerSamplingDuration,
                BreakDuration = _options.BreakerBreak,
                ShouldHandle = TransientFailures(),
                OnOpened = args =>
                {
                    LogCircuitOpened(_logger, host, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogCircuitClosed(_logger, host);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook circuit for {Host} opened for {Seconds} s after repeated failures")]
    private static partial void LogCircuitOpened(ILogger logger, string host, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook circuit for {Host} closed again")]
    private static partial void LogCircuitClosed(ILogger logger, string host);
}
