using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallEngine.Tests.Flows;

/// <summary>The one early-media path of the gateway and of simulate: what is rendered, when the channel opens, what plays.</summary>
public sealed class EarlyMediaPlayerTests
{
    private static readonly SourceLocation At = new("flow.yaml", 1, 1);

    [Fact]
    public async Task Speech_is_rendered_with_the_flow_voice_then_the_channel_opens_with_its_length_and_plays_it()
    {
        var speech = new RecordingSpeech(new short[8000 * 3 / 2]);
        var channel = new RecordingChannel();

        var result = await new EarlyMediaPlayer(speech, new SilentPrompts()).PlayAsync(
            Flow(new EarlyMediaAnnouncement { Text = "Calls are recorded.", Location = At }, voice: "en-gb"), channel, CancellationToken.None);

        Assert.Equal(new EarlyMediaResult(EarlyMediaStatus.Played, TimeSpan.FromSeconds(1.5)), result);
        Assert.Equal(("Calls are recorded.", "en-gb"), speech.Asked.Single());
        Assert.Equal([TimeSpan.FromSeconds(1.5)], channel.Opened);
        Assert.Equal(12_000, channel.Played.Single());
    }

    [Fact]
    public async Task Nothing_is_rendered_or_opened_without_early_media_or_without_a_channel_that_can_carry_it()
    {
        var speech = new RecordingSpeech(new short[160]);
        var announcement = new EarlyMediaAnnouncement { Text = "x", Location = At };
        var player = new EarlyMediaPlayer(speech, new SilentPrompts());

        Assert.Equal(EarlyMediaStatus.NotConfigured, (await player.PlayAsync(Flow(null), new RecordingChannel(), CancellationToken.None)).Status);
        Assert.Equal(EarlyMediaStatus.Unavailable, (await player.PlayAsync(Flow(announcement), new RecordingChannel { IsAvailable = false }, CancellationToken.None)).Status);
        Assert.Empty(speech.Asked);
    }

    [Fact]
    public async Task A_missing_prompt_is_reported_and_the_channel_never_opens()
    {
        var channel = new RecordingChannel();

        var result = await new EarlyMediaPlayer(new RecordingSpeech(new short[160]), new MissingPrompts()).PlayAsync(
            Flow(new EarlyMediaAnnouncement { File = "gone.wav", Location = At }), channel, CancellationToken.None);

        Assert.Equal((EarlyMediaStatus.RenderFailed, "gone.wav is missing"), (result.Status, result.Problem));
        Assert.Empty(channel.Opened);
    }

    [Fact]
    public async Task A_channel_that_will_not_open_plays_nothing_and_a_cancelled_one_throws()
    {
        var announcement = new EarlyMediaAnnouncement { Text = "x", Location = At };
        var player = new EarlyMediaPlayer(new RecordingSpeech(new short[160]), new SilentPrompts());
        var closed = new RecordingChannel { Opens = false };

        Assert.Equal(EarlyMediaStatus.NotOpened, (await player.PlayAsync(Flow(announcement), closed, CancellationToken.None)).Status);
        Assert.Empty(closed.Played);

        using var cancel = new CancellationTokenSource();
        var cancelled = new RecordingChannel { OnPlay = cancel.Cancel };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => player.PlayAsync(Flow(announcement), cancelled, cancel.Token));
    }

    [Fact]
    public async Task The_audio_waits_for_the_answer_to_our_offer_and_a_call_that_ends_first_plays_nothing()
    {
        var announcement = new EarlyMediaAnnouncement { Text = "x", Location = At };
        var player = new EarlyMediaPlayer(new RecordingSpeech(new short[800]), new SilentPrompts());
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new RecordingChannel { Answer = answer.Task };

        var playing = player.PlayAsync(Flow(announcement), waiting, CancellationToken.None);
        Assert.Equal([TimeSpan.FromSeconds(0.1)], waiting.Opened);
        Assert.Empty(waiting.Played);
        answer.SetResult(true);
        Assert.Equal(EarlyMediaStatus.Played, (await playing).Status);
        Assert.Equal(800, waiting.Played.Single());

        var ended = new RecordingChannel { Answer = Task.FromResult(false) };
        Assert.Equal(new EarlyMediaResult(EarlyMediaStatus.NotAnswered, TimeSpan.FromSeconds(0.1)), await player.PlayAsync(Flow(announcement), ended, CancellationToken.None));
        Assert.Empty(ended.Played);
    }

    private static FlowDefinition Flow(EarlyMediaAnnouncement? early, string? voice = null) => new()
    {
        Name = "f",
        Version = "v1",
        File = "flow.yaml",
        Start = "s",
        Steps = new Dictionary<string, FlowStep>(),
        Voice = voice,
        EarlyMedia = early,
    };

    private sealed class RecordingSpeech(short[] audio) : ISpeechSynthesizer
    {
        public List<(string Text, string? Voice)> Asked { get; } = [];

        public ValueTask<ReadOnlyMemory<short>> SynthesizeAsync(string text, string? voice, CancellationToken cancellationToken)
        {
            Asked.Add((text, voice));
            return ValueTask.FromResult<ReadOnlyMemory<short>>(audio);
        }
    }

    private sealed class MissingPrompts : IPromptStore
    {
        public ValueTask<ReadOnlyMemory<short>> GetAsync(string name, CancellationToken cancellationToken) =>
            throw new PromptUnavailableException($"{name} is missing");
    }

    private sealed class RecordingChannel : IEarlyMediaChannel
    {
        public bool IsAvailable { get; init; } = true;

        public bool Opens { get; init; } = true;

        public Action? OnPlay { get; init; }

        public Task<bool> Answer { get; init; } = Task.FromResult(true);

        public List<TimeSpan> Opened { get; } = [];

        public List<int> Played { get; } = [];

        public bool Open(TimeSpan length)
        {
            Opened.Add(length);
            return Opens;
        }

        public Task<bool> WhenAnsweredAsync(CancellationToken cancellationToken) => Answer.WaitAsync(cancellationToken);

        public Task PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken)
        {
            Played.Add(pcm8k.Length);
            OnPlay?.Invoke();
            return Task.CompletedTask;
        }
    }
}
