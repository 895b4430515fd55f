using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Media.Playback;

/// <summary>
/// What one call plays to the caller, in order. Requests queued while another plays follow it on the same 20 ms
/// schedule with no gap, so the far end hears one talkspurt: one marker bit (RFC 3551 §4.1) and RTP timestamps and
/// sequence numbers that simply continue. When the caller starts to speak (<see cref="BargeIn"/>), the request that
/// allows it stops before its next frame, so at most the frame already on the wire is heard after speech starts.
/// </summary>
/// <remarks>Thread-safe: signalling, the receive loop (barge-in) and the call flow may all call in.</remarks>
public sealed class CallPlayout : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<Request> _queue = new();
    private readonly IRtpAudioSender _sender;
    private readonly FramePacer _pacer;
    private readonly bool _bargeInByDefault;
    private Request? _current;
    private Task _loop = Task.CompletedTask;
    private bool _running;
    private bool _disposed;

    /// <summary>Creates the call's queue; nothing is sent until something is played.</summary>
    /// <param name="sender">The call's RTP sender (possibly wrapped, e.g. by a recorder).</param>
    /// <param name="time">The clock the 20 ms schedule follows.</param>
    /// <param name="bargeInByDefault">Whether requests that do not say otherwise stop when the caller speaks.</param>
    public CallPlayout(IRtpAudioSender sender, TimeProvider time, bool bargeInByDefault)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(time);
        _sender = sender;
        _pacer = new FramePacer(time);
        _bargeInByDefault = bargeInByDefault;
    }

    /// <summary>Whether a request is playing or waiting.</summary>
    public bool IsPlaying
    {
        get
        {
            lock (_gate)
            {
                return _current is not null || _queue.Count > 0;
            }
        }
    }

    /// <summary>Queues <paramref name="pcm8k"/> (8 kHz mono) behind what is already playing.</summary>
    /// <param name="pcm8k">The audio; sent in 160-sample frames, a short last one padded with silence.</param>
    /// <param name="bargeIn">Whether the caller's speech stops it; <see langword="null"/> takes the queue's default.</param>
    /// <param name="cancellationToken">
    /// Stops this request (and only this one). A request cancelled while it waits sends nothing and completes when
    /// it reaches the front of the queue.
    /// </param>
    /// <returns>How the request ended; never faults for cancellation or barge-in.</returns>
    public Task<PlayoutResult> PlayAsync(ReadOnlyMemory<short> pcm8k, bool? bargeIn = null, CancellationToken cancellationToken = default)
    {
        var request = new Request(pcm8k, bargeIn ?? _bargeInByDefault, cancellationToken);
        lock (_gate)
        {
            if (_disposed)
            {
                request.Stop(PlayoutResult.Stopped, dequeued: true);
                return request.Completion;
            }

            _queue.Enqueue(request);
            if (!_running)
            {
                _running = true;
                _loop = Task.Run(RunAsync, CancellationToken.None);
            }
        }

        return request.Completion;
    }

    /// <summary>The caller started to speak: stops the playing and queued requests that allow barge-in.</summary>
    /// <returns>How many requests were stopped.</returns>
    public int BargeIn() => Stop(PlayoutResult.BargedIn, onlyInterruptible: true);

    /// <summary>Stops everything playing or queued.</summary>
    /// <returns>How many requests were stopped.</returns>
    public int StopAll() => Stop(PlayoutResult.Stopped, onlyInterruptible: false);

    /// <summary>Stops everything and waits for the sending loop to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        Task loop;
        lock (_gate)
        {
            _disposed = true;
            loop = _loop;
        }

        StopAll();
        await loop;
    }

    private int Stop(PlayoutResult reason, bool onlyInterruptible)
    {
        List<Request>? stopped = null;
        Request? current;
        lock (_gate)
        {
            current = _current;
            if (current is not null && (current.AllowsBargeIn || !onlyInterruptible))
            {
                (stopped ??= []).Add(current);
            }

            int waiting = _queue.Count;
            for (int i = 0; i < waiting; i++)
            {
                var request = _queue.Dequeue();
                if (request.AllowsBargeIn || !onlyInterruptible)
                {
                    (stopped ??= []).Add(request);
                }
                else
                {
                    _queue.Enqueue(request);
                }
            }
        }

        // Outside the lock: cancelling resumes the sending loop, which takes the lock again.
        foreach (var request in stopped ?? [])
        {
            request.Stop(reason, dequeued: request != current);
        }

        return stopped?.Count ?? 0;
    }

    private async Task RunAsync()
    {
        bool talkspurt = false;
        while (true)
        {
            Request request;
            lock (_gate)
            {
                if (!_queue.TryDequeue(out request!))
                {
                    _running = false;
                    return;
                }

                _current = request;
            }

            if (!talkspurt)
            {
                _pacer.Restart();
            }

            var result = await PlayOneAsync(request, marker: !talkspurt);
            bool more;
            lock (_gate)
            {
                _current = null;
                more = _queue.Count > 0;
                _running = more;
            }

            request.Finish(result);
            request.Release();
            if (!more)
            {
                // Whatever is played from now on comes after silence: a new loop and a new talkspurt.
                return;
            }

            // Only a request queued while this one played continues its talkspurt; after a stop there may be a gap.
            talkspurt = result == PlayoutResult.Completed;
            if (!talkspurt)
            {
                // Barge-in resumes this loop on the receive thread that detected speech; send from the pool instead.
                await Task.Yield();
            }
        }
    }

    private async Task<PlayoutResult> PlayOneAsync(Request request, bool marker)
    {
        int frames = (request.Audio.Length + RtpSession.SamplesPerFrame - 1) / RtpSession.SamplesPerFrame;
        try
        {
            for (int n = 0; n < frames; n++)
            {
                await _pacer.WaitAsync(request.Token);
                RtpAudioPlayer.SendFrame(_sender, request.Audio.Span, n, marker && n == 0);
            }

            return PlayoutResult.Completed;
        }
        catch (OperationCanceledException)
        {
            return request.StopReason;
        }
    }

    private sealed class Request
    {
        private readonly CancellationTokenSource _stop;
        private readonly TaskCompletionSource<PlayoutResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _stopReason = (int)PlayoutResult.Stopped;

        public Request(ReadOnlyMemory<short> audio, bool allowsBargeIn, CancellationToken cancellationToken)
        {
            Audio = audio;
            AllowsBargeIn = allowsBargeIn;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        public ReadOnlyMemory<short> Audio { get; }

        public bool AllowsBargeIn { get; }

        public CancellationToken Token => _stop.Token;

        public PlayoutResult StopReason => (PlayoutResult)Volatile.Read(ref _stopReason);

        public Task<PlayoutResult> Completion => _completion.Task;

        /// <param name="reason">Why it stops.</param>
        /// <param name="dequeued">It was taken out of the queue, so the sending loop will never release it.</param>
        public void Stop(PlayoutResult reason, bool dequeued)
        {
            Volatile.Write(ref _stopReason, (int)reason);
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Finished in the meantime.
            }

            if (dequeued)
            {
                Finish(reason);
                Release();
            }
        }

        public void Finish(PlayoutResult result) => _completion.TrySetResult(result);

        // Only the owner (the loop for the playing request, Stop for a dequeued one) disposes: the loop still
        // reads Token after a concurrent Stop.
        public void Release() => _stop.Dispose();
    }
}
