using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Inference.Threading;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// The nice value of one inference thread (<see cref="VadOptions.InferenceThreadNice"/>), used on that thread only.
/// While the thread keeps up it runs at the configured value; a thread whose oldest window is half of
/// <see cref="VadOptions.MaxLagMs"/> old goes back to the value it started with until it has caught up again.
/// </summary>
/// <remarks>
/// Why: the kernel's fair scheduler shares a core equally among runnable threads, so an inference thread that needs a
/// fraction of a core waited behind the gateway's pool threads for most of the time it needed (issue 15: model runs
/// of 7 s of CPU took 35 s of wall time, 28 s of it runnable but not running) and fell behind. A lower nice value gets
/// it the core when a window is due. But a thread that is far behind runs back to back, and at −10 it then took the
/// CPU the receive path needed: held-call runs at −10 throughout on an overloaded host lost RTP in four of five runs
/// (33 to 81,587 packets; README, held calls). Far behind, the host is overloaded and something must give; a skipped window is counted
/// per call, a lost packet is lost to everything, so the thread yields.
/// </remarks>
internal sealed class InferenceThreadPriority
{
    private readonly int _nice;
    private readonly ILogger _logger;
    private readonly string _thread;
    private readonly Func<int, int> _setNice;
    private int _startNice;
    private bool _raised;
    private bool _refused;

    /// <param name="nice">The configured value; 0 leaves the thread alone.</param>
    /// <param name="logger">Receives the warning when the kernel refuses (from the first thread of a scheduler only).</param>
    /// <param name="thread">The thread's name (<c>vad-inference-N</c>).</param>
    /// <param name="setNice">Sets the calling thread's value and returns 0 or an errno (tests script it).</param>
    public InferenceThreadPriority(int nice, ILogger logger, string thread, Func<int, int>? setNice = null)
    {
        _nice = nice;
        _logger = logger;
        _thread = thread;
        _setNice = setNice ?? ThreadNice.TrySetForCurrentThread;
    }

    /// <summary>Whether the thread runs at the configured value now.</summary>
    public bool IsRaised => _raised;

    /// <summary>On the thread, before its first pass: notes its value and sets the configured one.</summary>
    public void Start(int startNice)
    {
        _startNice = startNice;
        Raise();
    }

    /// <summary>After a pass that gathered windows, the oldest <paramref name="lagMs"/> old.</summary>
    public void OnPass(double lagMs, int maxLagMs)
    {
        if (lagMs < maxLagMs / 2.0)
        {
            Raise();
        }
        else if (_raised && _setNice(_startNice) == 0)
        {
            _raised = false;
        }
    }

    private void Raise()
    {
        if (_raised || _refused || _nice == 0)
        {
            return;
        }

        var errno = _setNice(_nice);
        if (errno == 0)
        {
            _raised = true;
            return;
        }

        // Refused once, refused always (no privilege): no syscall per pass, one warning per scheduler.
        _refused = true;
        if (_thread.EndsWith("-0", StringComparison.Ordinal))
        {
            VadBatchingLog.NiceNotSet(_logger, _thread, _nice, errno);
        }
    }
}
