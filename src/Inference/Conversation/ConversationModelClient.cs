using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// Streams one model turn from the first endpoint that starts a reply, like LiveKit's <c>FallbackAdapter</c>: the
/// endpoints are tried in order, each attempt bounded by <see cref="ConversationOptions.FirstTokenTimeout"/>, an
/// endpoint whose breaker is open is skipped, and once the first token has arrived the reply is never retried (part
/// of it may already be playing), so a break after that is reported, not hidden. The thinking is removed and the text
/// cut into sentences as it arrives; the stream is read by its own task so a slow listener never stalls the
/// connection into an idle time-out.
/// </summary>
public sealed partial class ConversationModelClient : IDisposable
{
    private readonly IReadOnlyList<ConversationEndpoint> _endpoints;
    private readonly ConversationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the client over endpoints in failover order.</summary>
    public ConversationModelClient(IReadOnlyList<ConversationEndpoint> endpoints, ConversationOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _endpoints = endpoints;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The endpoints in failover order.</summary>
    public IReadOnlyList<ConversationEndpoint> Endpoints => _endpoints;

    /// <summary>OpenAI-compatible clients for every configured endpoint.</summary>
    public static ConversationModelClient Create(ConversationOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ConversationModelClient(
            [.. options.Endpoints.Select(e => ConversationEndpoint.OpenAiCompatible(e, options, time))], options, time, logger);
    }

    /// <summary>
    /// Streams the reply. Throws <see cref="ConversationUnavailableException"/> when no endpoint started one (nothing
    /// was produced) and <see cref="ConversationStreamBrokenException"/> when a started reply broke off.
    /// </summary>
    public async IAsyncEnumerable<ReplyPart> StreamAsync(ConversationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var failures = new List<string>();
        Exception? lastFailure = null;
        foreach (var endpoint in _endpoints)
        {
            var messages = request.Messages(endpoint.Options);
            if (messages is null)
            {
                failures.Add($"{endpoint.Options.DisplayName}: skipped ({endpoint.Options.Input} input not available for this turn)");
                continue;
            }

            if (endpoint.Options.Api == ConversationApi.Realtime && request.Realtime is null)
            {
                failures.Add($"{endpoint.Options.DisplayName}: skipped (a realtime endpoint needs the conversation's sessions)");
                continue;
            }

            StartedReply? started = null;
            try
            {
                started = await endpoint.Breaker.ExecuteAsync(
                    async token => await StartAsync(endpoint, messages, request, token), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (BrokenCircuitException)
            {
                failures.Add($"{endpoint.Options.DisplayName}: circuit open");
                LogSkipped(_logger, endpoint.Options.DisplayName);
                continue;
            }
            catch (Exception ex)
            {
                lastFailure = ex;
                failures.Add($"{endpoint.Options.DisplayName}: {Describe(ex)}");
                LogAttemptFailed(_logger, endpoint.Options.DisplayName, Describe(ex));
                ConversationMetrics.AttemptFailures.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint.Options.DisplayName));
                continue;
            }

            await foreach (var part in PumpAsync(started, request, cancellationToken))
            {
                yield return part;
            }

            yield break;
        }

        var message = failures.Count == 0 ? "no conversation endpoint is configured" : "no endpoint answered: " + string.Join("; ", failures);
        throw lastFailure is null ? new ConversationUnavailableException(message) : new ConversationUnavailableException(message, lastFailure);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var endpoint in _endpoints)
        {
            endpoint.Dispose();
        }
    }

    private async ValueTask<StartedReply> StartAsync(ConversationEndpoint endpoint, IList<ChatMessage> messages, ConversationRequest request, CancellationToken cancellationToken)
    {
        var reply = new StartedReply(endpoint, _time, _options, cancellationToken);
        try
        {
            // The first-token bound covers a Realtime endpoint's connect and session set-up too.
            reply.Stall.CancelAfter(_options.FirstTokenTimeout);
            var updates = endpoint.Client is { } chat
                ? chat.GetStreamingResponseAsync(messages, request.Options, reply.Token)
                : request.Realtime!.StreamAsync(endpoint.Options, messages, request.Options, reply.Token);
            reply.Updates = updates.GetAsyncEnumerator(reply.Token);
            while (true)
            {
                if (!await reply.Updates.MoveNextAsync())
                {
                    throw new ModelStreamException("the stream ended without any content");
                }

                if (reply.Updates.Current.Contents.Count > 0)
                {
                    reply.Total.CancelAfter(_options.MaxReplyDuration);
                    return reply;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && reply.Stall.IsCancellationRequested)
        {
            await reply.DisposeAsync();
            throw new TimeoutException($"no first token within {_options.FirstTokenTimeout.TotalSeconds:0.###} s");
        }
        catch
        {
            await reply.DisposeAsync();
            throw;
        }
    }

    private async IAsyncEnumerable<ReplyPart> PumpAsync(StartedReply reply, ConversationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ReplyPart>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var name = reply.Endpoint.Options.DisplayName;
        var pump = Task.Run(async () =>
        {
            try
            {
                var reader = new ReplyReader(name, reply.Endpoint.Options.StartsInReasoning, request);
                channel.Writer.TryWrite(new ReplyPart(ReplyPartKind.FirstToken, name));
                var finished = false;
                do
                {
                    reply.Stall.CancelAfter(_options.IdleTimeout);
                    finished |= reply.Updates!.Current.FinishReason is not null;
                    foreach (var part in reader.Read(reply.Updates.Current))
                    {
                        channel.Writer.TryWrite(part);
                    }
                }
                while (await reply.Updates.MoveNextAsync());

                if (!finished)
                {
                    // The OpenAI stream closes with a chunk that names its finish reason; a connection that simply
                    // ends was cut, and the unfinished sentence is not spoken.
                    throw new ModelStreamException("the stream ended without a finish reason");
                }

                foreach (var part in reader.Finish())
                {
                    channel.Writer.TryWrite(part);
                }

                channel.Writer.TryComplete();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                channel.Writer.TryComplete(new OperationCanceledException(cancellationToken));
            }
            catch (Exception ex)
            {
                var why = reply.Stall.IsCancellationRequested ? $"no data for {_options.IdleTimeout.TotalSeconds:0.###} s"
                    : reply.Total.IsCancellationRequested ? $"reply longer than {_options.MaxReplyDuration.TotalSeconds:0.###} s"
                    : Describe(ex);
                LogBroken(_logger, name, why);
                ConversationMetrics.BrokenReplies.Add(1, new KeyValuePair<string, object?>("endpoint", name));
                channel.Writer.TryComplete(new ConversationStreamBrokenException($"the reply from {name} broke off: {why}", ex));
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var part in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return part;
            }
        }
        finally
        {
            // The listener stopped (end, interruption, failure): stop reading the stream and release the connection.
            reply.Cancel();
            try
            {
                await pump;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var reason = Describe(ex);
                LogPumpFailed(_logger, name, reason);
            }

            await reply.DisposeAsync();
        }
    }

    /// <summary>The failure as traces and logs may show it: no server text unless transcripts are on.</summary>
    private string Describe(Exception ex) => ConversationDisclosure.Failure(ex, _options.LogTranscripts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation endpoint {Endpoint} failed to start a reply ({Reason}); trying the next")]
    private static partial void LogAttemptFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation endpoint {Endpoint} skipped: its circuit is open")]
    private static partial void LogSkipped(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation reply from {Endpoint} broke off: {Reason}")]
    private static partial void LogBroken(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation reply pump of {Endpoint} ended with an error: {Reason}")]
    private static partial void LogPumpFailed(ILogger logger, string endpoint, string reason);
}
