using StepAudio.Telephony.Cli.Train;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Tests.Train;

/// <summary>Seeded feature rows for the trainers' tests.</summary>
internal static class SeededFeatureRows
{
    /// <summary>
    /// Rows whose label depends on two measures non-linearly (laugh, sigh or none; 10 % label noise), seven speakers,
    /// one set; the same <paramref name="seed"/> gives the same rows.
    /// </summary>
    public static List<FeatureRow> Create(int count, int seed)
    {
        var random = new Random(seed);
        var names = ModelFeatures.Names.ToList();
        var rows = new List<FeatureRow>();
        for (var i = 0; i < count; i++)
        {
            var values = new double[names.Count];
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = (random.NextDouble() * 40) - 20;
            }

            var hnr = values[names.IndexOf("hnr_db")];
            var flat = values[names.IndexOf("flatness")];
            var label = random.NextDouble() < 0.1 ? "none" : hnr > 5 && flat < 0 ? "laugh" : hnr * flat > 30 ? "sigh" : "none";
            rows.Add(new FeatureRow(values, label, $"s{i % 7}", 0));
        }

        return rows;
    }
}
