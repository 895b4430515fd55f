using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Media.Recording;

/// <summary>
/// Records one call to a stereo 8 kHz WAV: left the caller as received, right what the gateway sent. Both sides are
/// placed on one timeline by the time their audio passes through here, so a side that sends nothing is silence and
/// the two stay aligned; a frame that arrives within <see cref="Tolerance"/> of where its side's last one ended is
/// appended directly, so network jitter does not cut clicks into the recording. Audio is written to disk as it
/// falls out of a two-second window; memory stays constant however long the call.
/// </summary>
/// <remarks>
/// Thread-safe: the receive loop and the playout loop both write. A disk error stops the recording (logged once),
/// never the call.
/// </remarks>
public sealed partial class CallRecorder : IDisposable
{
    /// <summary>The recording's sample rate.</summary>
    public const int SampleRate = 8000;

    /// <summary>How far a side's frame may be from where its previous frame ended and still follow it directly.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(60);

    private const int Channels = 2;
    private const int Caller = 0;
    private const int Gateway = 1;
    private const int WindowFrames = 2 * SampleRate;

    private readonly Lock _gate = new();
    private readonly short[] _window = new short[WindowFrames * Channels];
    private readonly long[] _next = new long[Channels];
    private readonly WavFileWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _start;
    private long _flushed;
    private bool _closed;

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>; the timeline starts now.</summary>
    /// <exception cref="IOException">The file could not be created.</exception>
    public CallRecorder(string path, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Path = path;
        _writer = new WavFileWriter(path, SampleRate, Channels);
        _time = time;
        _logger = logger;
        _start = time.GetTimestamp();
    }

    /// <summary>The WAV file.</summary>
    public string Path { get; }

    /// <summary>Records audio received from the caller; the frame is taken to have ended just now.</summary>
    public void WriteCaller(ReadOnlySpan<short> pcm8k) => Write(Caller, pcm8k, Now() - pcm8k.Length);

    /// <summary>Records audio the gateway sends; the frame is taken to start playing just now.</summary>
    public void WriteGateway(ReadOnlySpan<short> pcm8k) => Write(Gateway, pcm8k, Now());

    /// <summary>Writes what is left (the silent side padded) and finalises the WAV header.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                Flush(Math.Max(_next[Caller], _next[Gateway]));
                _writer.Dispose();
            }
            catch (IOException ex)
            {
                LogFailed(_logger, Path, ex);
            }
            finally
            {
                _closed = true;
            }
        }
    }

    private long Now() => (long)Math.Round(_time.GetElapsedTime(_start).TotalSeconds * SampleRate);

    private void Write(int channel, ReadOnlySpan<short> pcm8k, long position)
    {
        lock (_gate)
        {
            if (_closed || pcm8k.IsEmpty)
            {
                return;
            }

            try
            {
                WriteLocked(channel, pcm8k, position);
            }
            catch (IOException ex)
            {
                _closed = true;
                LogFailed(_logger, Path, ex);
            }
        }
    }

    private void WriteLocked(int channel, ReadOnlySpan<short> pcm8k, long position)
    {
        long tolerance = (long)(Tolerance.TotalSeconds * SampleRate);
        long start = Math.Abs(position - _next[channel]) <= tolerance || position < _next[channel] ? _next[channel] : position;

        // Never write behind what is already on disk (the other side's audio pushed it on).
        start = Math.Max(start, _flushed);
        long end = start + pcm8k.Length;
        if (end - _flushed > WindowFrames)
        {
            Flush(end - WindowFrames);
        }

        for (int i = 0; i < pcm8k.Length; i++)
        {
            _window[(int)((start + i) % WindowFrames) * Channels + channel] = pcm8k[i];
        }

        _next[channel] = end;

        // Written out once both sides are past it, or, when one side is silent, once it is half a window old.
        Flush(Math.Max(Math.Min(_next[Caller], _next[Gateway]), end - (WindowFrames / 2)));
    }

    private void Flush(long upTo)
    {
        while (_flushed < upTo)
        {
            int from = (int)(_flushed % WindowFrames);
            int count = (int)Math.Min(upTo - _flushed, WindowFrames - from);
            var frames = _window.AsSpan(from * Channels, count * Channels);
            _writer.Write(frames);
            frames.Clear();
            _flushed += count;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording to {Path} failed; the call goes on unrecorded")]
    private static partial void LogFailed(ILogger logger, string path, Exception exception);
}
