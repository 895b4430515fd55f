using System.Globalization;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>Names of segment files: <c>outbox-&lt;16-digit index&gt;.log</c>, so that name order is index order.</summary>
internal static class OutboxSegments
{
    private const string Prefix = "outbox-";
    private const string Suffix = ".log";
    private const int Digits = 16;

    public static string PathOf(string directory, long index) =>
        Path.Combine(directory, Prefix + index.ToString("D16", CultureInfo.InvariantCulture) + Suffix);

    /// <summary>Indices of the segment files in <paramref name="directory"/>, oldest first; other files are ignored.</summary>
    public static List<long> List(string directory)
    {
        var indices = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, Prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(path.AsSpan());
            if (name.Length == Prefix.Length + Digits + Suffix.Length
                && long.TryParse(name.Slice(Prefix.Length, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indices.Add(index);
            }
        }

        indices.Sort();
        return indices;
    }
}
