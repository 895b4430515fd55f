using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using Polly;
using Polly.CircuitBreaker;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>One configured endpoint at run time: its chat client (none for a Realtime endpoint, whose sockets belong to each conversation) and its own circuit breaker.</summary>
public sealed class ConversationEndpoint : IDisposable
{
    private readonly bool _ownsClient;

    /// <summary>Wraps an existing chat client (tests, other providers).</summary>
    public ConversationEndpoint(ConversationEndpointOptions options, IChatClient client, ConversationOptions settings, TimeProvider time, bool ownsClient = false)
        : this(options, settings, time)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        _ownsClient = ownsClient;
    }

    /// <summary>A Realtime endpoint: no shared client; each conversation opens its own WebSocket (<see cref="Realtime.RealtimeConversation"/>).</summary>
    public ConversationEndpoint(ConversationEndpointOptions options, ConversationOptions settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        Options = options;
        Breaker = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = settings.BreakerFailureRatio,
                SamplingDuration = settings.BreakerSamplingDuration,
                MinimumThroughput = settings.BreakerMinimumThroughput,
                BreakDuration = settings.BreakDuration,

                // The caller interrupting (our own cancellation) says nothing about the endpoint's health.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
            })
            .Build();
    }

    /// <summary>The endpoint's settings.</summary>
    public ConversationEndpointOptions Options { get; }

    /// <summary>The chat client; null for a Realtime endpoint.</summary>
    public IChatClient? Client { get; }

    /// <summary>The breaker that judges whether replies start.</summary>
    public ResiliencePipeline Breaker { get; }

    /// <summary>
    /// An OpenAI-compatible endpoint through the OpenAI SDK and Microsoft.Extensions.AI. The SDK's own retries are
    /// off: <see cref="ConversationModelClient"/> decides about retries, because only it knows whether the caller has
    /// heard part of the reply.
    /// </summary>
    public static ConversationEndpoint OpenAiCompatible(ConversationEndpointOptions options, ConversationOptions settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        if (options.BaseUrl is null || string.IsNullOrWhiteSpace(options.Model))
        {
            throw new ArgumentException($"conversation endpoint '{options.DisplayName}' needs BaseUrl and Model", nameof(options));
        }

        if (options.Api == ConversationApi.Realtime)
        {
            return new ConversationEndpoint(options, settings, time);
        }

        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey), ClientOptions(options.BaseUrl, settings.FirstTokenTimeout + settings.MaxReplyDuration));
        return new ConversationEndpoint(options, client.GetChatClient(options.Model).AsIChatClient(), settings, time, ownsClient: true);
    }

    /// <summary>SDK options for an OpenAI-compatible server: its base URL, no SDK retries, a network bound.</summary>
    internal static OpenAIClientOptions ClientOptions(Uri baseUrl, TimeSpan networkTimeout) => new()
    {
        Endpoint = baseUrl,
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = networkTimeout,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            Client?.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => Options.ToString();
}
