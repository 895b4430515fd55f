using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.SipGateway.Media.Recording;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// The caller's audio during one <c>record</c> step, as a mono WAV at the call's decoded rate (8 kHz, 16 kHz for
/// G.722). Written on the receive loop; stopped by the flow's thread.
/// </summary>
internal sealed class StepRecording : ICallerAudioTap, ICallRecording
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly Action? _onStop;
    private WavFileWriter? _writer;
    private int _sampleRate;
    private bool _stopped;
    private Exception? _failure;

    /// <param name="path">The WAV file.</param>
    /// <param name="stopped">Runs first when the recording is disposed (the call stops tapping the caller's audio).</param>
    public StepRecording(string path, Action? stopped = null)
    {
        _path = path;
        _onStop = stopped;
    }

    public string Path => _path;

    /// <summary>Length written so far.</summary>
    public TimeSpan Length
    {
        get
        {
            lock (_gate)
            {
                return _writer is null || _sampleRate == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)_writer.Frames / _sampleRate);
            }
        }
    }

    public void OnCallerAudio(ReadOnlySpan<short> pcm, int sampleRate)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            try
            {
                // The file's rate is fixed by its first frame; a codec change mid-step (re-INVITE) ends the recording.
                if (_writer is null)
                {
                    _writer = new WavFileWriter(_path, sampleRate, channels: 1);
                    _sampleRate = sampleRate;
                }
                else if (sampleRate != _sampleRate)
                {
                    _stopped = true;
                    return;
                }

                _writer.Write(pcm);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The receive loop must go on; the flow learns of it when the step ends.
                _failure = ex;
                _stopped = true;
            }
        }
    }

    /// <summary>Why writing failed, if it did.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>Stops writing and completes the file (an empty recording still leaves a valid WAV).</summary>
    public void Dispose()
    {
        _onStop?.Invoke();
        lock (_gate)
        {
            _stopped = true;
            _writer ??= new WavFileWriter(_path, 8000, channels: 1);
            _writer.Dispose();
        }
    }
}
