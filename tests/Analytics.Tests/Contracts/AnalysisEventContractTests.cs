using System.Text.Json;
using MassTransit.Serialization;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>The issue-6 events as they travel: MassTransit's own System.Text.Json options.</summary>
public sealed class AnalysisEventContractTests
{
    private static readonly JsonSerializerOptions Wire = SystemTextJsonMessageSerializer.Options;
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static T RoundTrip<T>(T value)
    {
        var json = JsonSerializer.Serialize(value, Wire);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        return JsonSerializer.Deserialize<T>(json, Wire)!;
    }

    [Fact]
    public void A_CallEnded_from_an_older_gateway_still_deserialises_with_defaults()
    {
        // Exactly what the gateway published before issue 6 (camelCase, as MassTransit writes it).
        const string old = """
            {"eventId":"0196a3c1-1111-7000-8000-000000000001","callId":"abc","sequence":4,"timestamp":"2026-11-23T12:00:00+00:00",
             "durationSeconds":12.5,"hungUpBy":"caller","reason":"bye","speechSegments":2}
            """;
        var ended = JsonSerializer.Deserialize<CallEnded>(old, Wire)!;

        Assert.Equal("abc", ended.CallId);
        Assert.Equal(2, ended.SpeechSegments);
        Assert.Equal(0, ended.PeakFrustration);
        Assert.Null(ended.VocalEvents);
        Assert.Equal(0, ended.TalkRatio);
        Assert.Equal(0, ended.BargeIns);
    }

    [Fact]
    public void A_CallEnded_with_the_summary_round_trips()
    {
        var ended = new CallEnded(Guid.NewGuid(), "abc", 9, At, 60, "caller", "bye", 5, 0.72,
            new Dictionary<string, int> { ["Sigh"] = 2, ["Laugh"] = 1 }, 0.25, 0.75, 3, 1);

        var back = RoundTrip(ended);

        Assert.Equal(0.72, back.PeakFrustration);
        Assert.Equal(2, back.VocalEvents!["Sigh"]);
        Assert.Equal(0.25, back.TalkRatio);
        Assert.Equal(0.75, back.SilenceRatio);
        Assert.Equal(3, back.BargeIns);
        Assert.Equal(1, back.AnalysesSkipped);
    }

    [Fact]
    public void Emotion_vocal_frustration_and_barge_in_events_round_trip()
    {
        var emotion = RoundTrip(new EmotionDetected(Guid.NewGuid(), "abc", 2, At, 1.5, 3.25, "Angry", 0.6, 0.7, -0.5, "acoustic",
            [new LabelScore("Angry", 0.8), new LabelScore("Frustrated", 0.2)]));
        Assert.Equal("Angry", emotion.Label);
        Assert.Equal(-0.5, emotion.Valence);
        Assert.Equal(["Angry", "Frustrated"], emotion.TopScores.Select(s => s.Label));

        var vocal = RoundTrip(new VocalEventDetected(Guid.NewGuid(), "abc", 3, At, "Sigh", 4.0, 0.9, 0.7, InSpeech: false));
        Assert.Equal("Sigh", vocal.Kind);
        Assert.False(vocal.InSpeech);

        var frustration = RoundTrip(new FrustrationChanged(Guid.NewGuid(), "abc", 4, At, 5, 0.71, 0.5, "high", 0.7,
            [new FrustrationReason("dtmf-mash", 0.25, 4.5, "5 keys in 2 s")]));
        Assert.Equal(0.7, frustration.ThresholdCrossed);
        Assert.Equal("dtmf-mash", Assert.Single(frustration.TopReasons).Cue);

        var moved = RoundTrip(frustration with { ThresholdCrossed = null });
        Assert.Null(moved.ThresholdCrossed);

        Assert.Equal(7.5, RoundTrip(new BargeInDetected(Guid.NewGuid(), "abc", 5, At, 7.5)).AtSeconds);
    }

    [Fact]
    public void The_new_events_have_fixed_exchange_names_and_are_listed()
    {
        Assert.Contains(typeof(EmotionDetected), EventTopology.EventTypes);
        Assert.Contains(typeof(VocalEventDetected), EventTopology.EventTypes);
        Assert.Contains(typeof(FrustrationChanged), EventTopology.EventTypes);
        Assert.Contains(typeof(BargeInDetected), EventTopology.EventTypes);
        Assert.Equal("stepaudio.telephony.v1:FrustrationChanged", EventTopology.FrustrationChangedExchange);
        Assert.Equal(EventTopology.EventTypes.Count, EventTopology.EventTypes.Distinct().Count());
    }
}
