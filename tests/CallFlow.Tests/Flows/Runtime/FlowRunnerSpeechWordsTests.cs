using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>A spoken answer's words reach the flow as <c>text</c> and <c>confidence</c>; the trace never shows them.</summary>
public sealed class FlowRunnerSpeechWordsTests
{
    private const string Yaml = """
        flow: words
        start: ask
        steps:
          ask:
            gather: { input: speech, say: "How can I help?", timeout: 5s }
            next: route
          route:
            branch:
              - if: contains(text, "bill") and confidence > 0.5
                goto: billing
              - else: other
          billing:
            say: "Billing. You said {{ text }}."
          other:
            say: "Other."
        """;

    [Theory]
    [InlineData("I have a question about my bill", 0.91, "Billing. You said I have a question about my bill.")]
    [InlineData("I have a question about my bill", 0.2, "Other.")]
    [InlineData("my internet is down", 0.95, "Other.")]
    public async Task Branch_tests_the_recognised_words_and_their_confidence(string words, double confidence, string said)
    {
        var load = FlowLoader.LoadText(Yaml, "words.yaml");
        Assert.True(load.IsValid, string.Join("\n", load.Errors));
        using var channel = new FakeCallChannel().Speak(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1.5), words, confidence);

        var (_, trace) = await RunnerFlows.RunAsync(load.Flow!, channel);

        Assert.Equal(said, channel.Said[^1].Text);
        var input = Assert.Single(trace, t => t.Kind == "input");
        Assert.Contains($"words recognised (confidence {confidence:0.00})", input.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(words, input.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_recogniser_text_is_empty_and_confidence_null()
    {
        var load = FlowLoader.LoadText(Yaml.Replace("and confidence > 0.5", "or confidence == null", StringComparison.Ordinal), "words.yaml");
        Assert.True(load.IsValid, string.Join("\n", load.Errors));
        using var channel = new FakeCallChannel().Speak(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1.5));

        await RunnerFlows.RunAsync(load.Flow!, channel);

        Assert.Equal("Billing. You said .", channel.Said[^1].Text);
    }
}
