using System.Globalization;

namespace StepAudio.Telephony.Inference.Tests.TestSupport;

/// <summary>
/// A pitch track written by Praat (scripts/praat-pitch.sh: <c>To Pitch (ac)</c> with its standard settings on the
/// wideband copy), one "time<tab>Hz" line per 10 ms frame, 0 where Praat finds no voicing. It is the independent
/// reference for our tracker: our own full-band track can share our tracker's mistakes.
/// </summary>
public sealed class PraatPitchTrack
{
    private readonly double[] _times;
    private readonly double[] _hz;

    private PraatPitchTrack(double[] times, double[] hz) => (_times, _hz) = (times, hz);

    public static PraatPitchTrack Load(string path)
    {
        var times = new List<double>();
        var hz = new List<double>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var tab = line.IndexOf('\t');
            if (tab < 0)
            {
                throw new FormatException($"{path}: '{line}' is not 'time<tab>Hz'");
            }

            times.Add(double.Parse(line.AsSpan(0, tab), NumberStyles.Float, CultureInfo.InvariantCulture));
            hz.Add(double.Parse(line.AsSpan(tab + 1), NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return new PraatPitchTrack([.. times], [.. hz]);
    }

    /// <summary>Voiced frames' pitch in Hz.</summary>
    public IEnumerable<double> Voiced => _hz.Where(f => f > 0);

    /// <summary>Praat's pitch at the centre of each of <paramref name="count"/> frames <paramref name="hopSeconds"/> apart (see <see cref="At"/>).</summary>
    public double[] OnFrames(int count, double hopSeconds)
    {
        var hz = new double[count];
        for (var i = 0; i < count; i++)
        {
            hz[i] = At((i + 0.5) * hopSeconds);
        }

        return hz;
    }

    /// <summary>
    /// Praat's pitch at <paramref name="seconds"/>: the frame whose centre is nearest, if it is within half a hop;
    /// 0 when there is none or it is unvoiced.
    /// </summary>
    public double At(double seconds, double halfHop = 0.005)
    {
        var i = Array.BinarySearch(_times, seconds);
        if (i < 0)
        {
            i = ~i;
            if (i > 0 && (i == _times.Length || seconds - _times[i - 1] < _times[i] - seconds))
            {
                i--;
            }
        }

        return i < _times.Length && Math.Abs(_times[i] - seconds) <= halfHop + 1e-9 ? _hz[i] : 0;
    }
}
