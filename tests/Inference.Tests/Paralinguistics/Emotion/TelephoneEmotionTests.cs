using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Emotion;

/// <summary>
/// Arousal survives the telephone channel (level, F0, rate are all in band); valence does not reliably (it leans on
/// voice quality), so only the side of the arousal axis and the sad label are asserted.
/// </summary>
public sealed class TelephoneEmotionTests(ParalinguisticCorpus corpus) : IClassFixture<ParalinguisticCorpus>
{
    [Fact]
    public void Sad_and_agitated_renditions_keep_their_side_of_arousal_through_the_telephone_channel()
    {
        var extractor = new AcousticFeatureExtractor(telephoneBandPitch: false); // as SegmentAnalyzers composes the rules
        var estimator = new AcousticEmotionEstimator();

        var sad = estimator.Estimate(extractor.Extract(corpus.TelephoneSpeech("-p", "15", "-s", "110", "-a", "40")));
        var agitated = estimator.Estimate(extractor.Extract(corpus.TelephoneSpeech("-p", "70", "-s", "220", "-a", "200")));

        Assert.True(sad.Arousal < -0.2, $"{sad with { Scores = [] }}");
        Assert.True(agitated.Arousal > 0.2, $"{agitated with { Scores = [] }}");
        Assert.Contains(sad.Label, new[] { EmotionLabel.Sad, EmotionLabel.Ambiguous });
        Assert.Contains(agitated.Label, new[] { EmotionLabel.Angry, EmotionLabel.Happy, EmotionLabel.Ambiguous });
    }
}
