namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>
/// Combines a model's <see cref="AudioClassification"/> with the acoustic judgement, per
/// <see cref="AudioClassifierOptions.Mode"/>. A model says nothing about arousal and valence, so those stay acoustic.
/// </summary>
internal static class ClassificationBlend
{
    public static EmotionEstimate Emotion(EmotionEstimate acoustic, AudioClassification model, AudioClassifierOptions options, string source)
    {
        if (model.Emotions.Count == 0)
        {
            return acoustic;
        }

        List<EmotionScore> scores;
        if (options.Mode == AudioClassifierMode.Replace)
        {
            scores = [.. model.Emotions];
        }
        else
        {
            var w = options.JoinWeight;
            var labels = acoustic.Scores.Select(s => s.Label).Concat(model.Emotions.Select(s => s.Label))
                .Where(l => l != EmotionLabel.Ambiguous).Distinct();
            scores = [.. labels.Select(l => new EmotionScore(l, ((1 - w) * ScoreOf(acoustic.Scores, l)) + (w * ScoreOf(model.Emotions, l))))];
        }

        scores.Sort((a, b) => b.Score.CompareTo(a.Score));
        var top = scores[0].Score;
        var second = scores.Count > 1 ? scores[1].Score : 0;
        return acoustic with { Label = scores[0].Label, Confidence = top - second, Scores = scores, Source = source };
    }

    public static IReadOnlyList<VocalEvent> Events(
        IReadOnlyList<VocalEvent> acoustic, AudioClassification model, AudioClassifierOptions options, TimeSpan start, TimeSpan duration)
    {
        if (model.Events.Count == 0)
        {
            return acoustic;
        }

        // The model judges the whole span, so its events span it; acoustic events keep their finer timing.
        var result = new List<VocalEvent>();
        if (options.Mode == AudioClassifierMode.Replace)
        {
            result.AddRange(model.Events.Where(e => e.Score >= options.EventThreshold)
                .Select(e => new VocalEvent(e.Kind, start, duration, e.Score)));
            return result;
        }

        var w = options.JoinWeight;
        foreach (var found in acoustic)
        {
            var modelScore = model.Events.FirstOrDefault(e => e.Kind == found.Kind).Score;
            result.Add(found with { Confidence = ((1 - w) * found.Confidence) + (w * modelScore) });
        }

        foreach (var candidate in model.Events)
        {
            // The acoustic detector's silence counts as 0, so a model-only event needs w · score to reach the threshold.
            if (acoustic.All(e => e.Kind != candidate.Kind) && w * candidate.Score >= options.EventThreshold)
            {
                result.Add(new VocalEvent(candidate.Kind, start, duration, w * candidate.Score));
            }
        }

        result.Sort((a, b) => a.Start.CompareTo(b.Start));
        return result;
    }

    private static double ScoreOf(IReadOnlyList<EmotionScore> scores, EmotionLabel label)
    {
        foreach (var s in scores)
        {
            if (s.Label == label)
            {
                return s.Score;
            }
        }

        return 0;
    }
}
