namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>
/// Prompt files (WAV at 8–48 kHz, mono or stereo, PCM, float or G.711), converted once to 8 kHz mono 16-bit in
/// process with NAudio (<see cref="WavToTelephonePcm"/>) and kept in memory. A cached prompt is reused while the file's last-write time and size are
/// unchanged, so replacing a file on disk takes effect on its next use without a restart.
/// </summary>
/// <remarks>
/// Thread-safe. Two first requests for one prompt at the same moment may both convert it (a few milliseconds);
/// the cache keeps one copy, and the simpler locking is worth more than avoiding that rare duplicate.
/// </remarks>
public sealed class WavPromptStore : IPromptStore
{
    private readonly PromptOptions _options;
    private readonly string _root;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private long _cachedBytes;
    private long _uses;

    /// <summary>Creates the store; nothing is read until a prompt is asked for.</summary>
    public WavPromptStore(PromptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _root = Path.GetFullPath(string.IsNullOrWhiteSpace(options.Directory) ? PromptOptions.FolderNextToFlows : options.Directory);
    }

    /// <summary>Bytes of converted audio held in memory.</summary>
    public long CachedBytes
    {
        get
        {
            lock (_gate)
            {
                return _cachedBytes;
            }
        }
    }

    /// <summary>How many prompts are held in memory.</summary>
    public int CachedPrompts
    {
        get
        {
            lock (_gate)
            {
                return _cache.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<short>> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var path = Resolve(name);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new PromptUnavailableException($"Prompt file '{path}' does not exist.");
        }

        var stamp = (file.LastWriteTimeUtc, file.Length);
        lock (_gate)
        {
            if (_cache.TryGetValue(path, out var cached) && cached.Stamp == stamp)
            {
                cached.LastUse = ++_uses;
                return ValueTask.FromResult<ReadOnlyMemory<short>>(cached.Samples);
            }
        }

        var samples = PromptConverter.Convert(path, $"Prompt file '{path}'", cancellationToken);
        Store(path, stamp, samples);
        return ValueTask.FromResult<ReadOnlyMemory<short>>(samples);
    }

    private string Resolve(string name)
    {
        var path = Path.GetFullPath(Path.Combine(_root, name));
        var relative = Path.GetRelativePath(_root, path);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new PromptUnavailableException($"Prompt '{name}' is outside the prompt directory '{_root}'.");
        }

        return path;
    }

    private void Store(string path, (DateTime, long) stamp, short[] samples)
    {
        long bytes = (long)samples.Length * sizeof(short);
        lock (_gate)
        {
            if (_cache.Remove(path, out var stale))
            {
                _cachedBytes -= stale.Bytes;
            }

            if (bytes > _options.CacheBytes)
            {
                return;
            }

            while (_cachedBytes + bytes > _options.CacheBytes)
            {
                // Prompts are few, so a scan for the least recently used one is cheaper than keeping a list in order.
                var oldest = _cache.MinBy(e => e.Value.LastUse);
                _cache.Remove(oldest.Key);
                _cachedBytes -= oldest.Value.Bytes;
            }

            _cache[path] = new Entry(stamp, samples) { LastUse = ++_uses };
            _cachedBytes += bytes;
        }
    }

    private sealed class Entry((DateTime, long) stamp, short[] samples)
    {
        public (DateTime, long) Stamp { get; } = stamp;

        public short[] Samples { get; } = samples;

        public long Bytes => (long)Samples.Length * sizeof(short);

        public long LastUse { get; set; }
    }
}
