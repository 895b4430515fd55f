using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.CallEngine.Recognition;
using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.CallEngine.Tests.Recognition;

/// <summary>Each turn's words, recognised once and shared, and the words-vs-voice label of <c>EmotionDetected</c>.</summary>
public sealed class TurnWordsTests
{
    [Theory]
    [InlineData("this is great, thank you so much", -0.6, "ambiguous_negative")]
    [InlineData("this is terrible and I hate it", 0.6, "ambiguous_positive")]
    [InlineData("this is great, thank you so much", 0.5, "consistent")]
    [InlineData("my account number is four seven", -0.6, null)]
    public void The_label_compares_the_words_valence_with_the_voice(string words, double voiceValence, string? expected) =>
        Assert.Equal(expected, TurnWords.Agreement(new RecognitionResult(words, 0.9, "en"), voiceValence));

    [Fact]
    public void Without_words_there_is_no_label() => Assert.Null(TurnWords.Agreement(null, -0.9));

    [Fact]
    public async Task A_turn_is_recognised_once_and_a_failing_recogniser_leaves_it_without_words()
    {
        var recognizer = new CountingRecognizer();
        using var words = new TurnWords(new CallerWords(recognizer, NullLogger.Instance));

        words.Start(1, "call-1", new float[1600]);
        words.Start(2, "call-1", new float[3200]);

        Assert.Equal("turn of 1600 samples", (await words.Of(1))?.Text);
        Assert.Equal("turn of 1600 samples", (await words.Of(1))?.Text);
        Assert.Null(await words.Of(2)); // the recogniser failed on this one
        Assert.Null(await words.Of(3)); // never started
        Assert.Equal(2, recognizer.Calls);
    }

    [Fact]
    public async Task The_end_of_the_call_cancels_a_recognition_still_running()
    {
        var pending = new PendingRecognizer();
        var words = new TurnWords(new CallerWords(pending, NullLogger.Instance));
        words.Start(1, "call-1", new float[1600]);
        var heard = words.Of(1);
        Assert.False(heard.IsCompleted);

        words.Dispose();

        Assert.Null(await heard.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private sealed class CountingRecognizer : ISpeechRecognizer
    {
        public int Calls { get; private set; }

        public ValueTask<RecognitionResult> RecognizeAsync(ReadOnlyMemory<float> pcm16k, CancellationToken cancellationToken)
        {
            Calls++;
            return pcm16k.Length == 1600
                ? ValueTask.FromResult(new RecognitionResult($"turn of {pcm16k.Length} samples", 0.8, null))
                : ValueTask.FromException<RecognitionResult>(new SpeechRecognitionException("the recogniser answered HTTP 503"));
        }
    }

    private sealed class PendingRecognizer : ISpeechRecognizer
    {
        public async ValueTask<RecognitionResult> RecognizeAsync(ReadOnlyMemory<float> pcm16k, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
