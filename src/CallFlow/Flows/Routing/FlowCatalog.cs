using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>
/// The flows new calls get, reloaded live. The whole directory is reloaded on any change so routes and flows stay
/// consistent; a valid result replaces <see cref="Current"/> in one reference swap (running calls hold their own
/// <c>FlowDefinition</c> and never see it), an invalid one is rejected and the previous set stays.
/// </summary>
public sealed partial class FlowCatalog : IDisposable
{
    private readonly FlowCatalogOptions _options;
    private readonly ILogger<FlowCatalog> _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer? _debounce;
    private readonly Lock _reloadLock = new();
    private readonly FlowCatalogMetrics _metrics = new();
    private FlowSet _current;
    private bool _disposed;

    /// <summary>Loads the directory now and starts watching it when <see cref="FlowCatalogOptions.Watch"/> is set.</summary>
    /// <exception cref="FlowValidationException">The directory is not valid; the message lists every error.</exception>
    public FlowCatalog(FlowCatalogOptions options, ILogger<FlowCatalog> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _logger = logger;
        TimeZone = ResolveTimeZone(options.TimeZone);
        var result = FlowSetLoader.LoadDirectory(options.Directory, options.Environment);
        if (result.Set is null)
        {
            throw new FlowValidationException(result.Errors);
        }

        _current = result.Set;
        LogLoaded(_current, "Loaded");
        if (!options.Watch)
        {
            return;
        }

        _debounce = time.CreateTimer(_ => ReloadAfterChange(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            _watcher = CreateWatcher(Path.GetFullPath(options.Directory));
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // Out of inotify watches, for example: the gateway still serves the flows it loaded, without live reload.
            LogWatcherFailed(_logger, ex);
        }
    }

    /// <summary>Raised after a valid change replaced <see cref="Current"/>.</summary>
    public event EventHandler<FlowSetReloadedEventArgs>? Reloaded;

    /// <summary>Raised when a change did not validate; <see cref="Current"/> is unchanged.</summary>
    public event EventHandler<FlowReloadRejectedEventArgs>? ReloadRejected;

    /// <summary>Zone of schedules that name none (<see cref="FlowCatalogOptions.TimeZone"/>, else the machine's).</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The set new calls use.</summary>
    public FlowSet Current => Volatile.Read(ref _current);

    /// <summary>Reloads the directory now; true when a new set was installed.</summary>
    public bool Reload()
    {
        FlowSetReloadedEventArgs? reloaded = null;
        FlowReloadRejectedEventArgs? rejected = null;
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return false;
            }

            var result = FlowSetLoader.LoadDirectory(_options.Directory, _options.Environment);
            if (result.Set is null)
            {
                LogRejected(_logger, result.Errors.Count, string.Join(Environment.NewLine, result.Errors));
                rejected = new FlowReloadRejectedEventArgs(result.Errors);
                _metrics.Rejected();
            }
            else if (Signature(result.Set) != Signature(_current))
            {
                var previous = _current;
                Volatile.Write(ref _current, result.Set);
                LogLoaded(result.Set, "Reloaded");
                reloaded = new FlowSetReloadedEventArgs(previous, result.Set);
                _metrics.Applied();
            }
        }

        // Handlers run outside the lock so one that reads Current or calls Reload cannot deadlock.
        if (rejected is not null)
        {
            ReloadRejected?.Invoke(this, rejected);
        }

        if (reloaded is not null)
        {
            Reloaded?.Invoke(this, reloaded);
        }

        return reloaded is not null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_reloadLock)
        {
            _disposed = true;
        }

        _watcher?.Dispose();
        _debounce?.Dispose();
        _metrics.Dispose();
    }

    internal Meter Meter => _metrics.Meter;

    // Runs on a timer thread: an exception here (a subscriber's, or an unexpected one) would end the process.
    private void ReloadAfterChange()
    {
        try
        {
            Reload();
        }
        catch (Exception ex)
        {
            LogReloadFailed(_logger, ex);
        }
    }

    private static TimeZoneInfo ResolveTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Local;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FlowValidationException(
                [new FlowError("configuration", 1, 1, $"{FlowCatalogOptions.SectionName}:TimeZone", $"unknown time zone '{id}'; expected an IANA id such as Europe/Berlin")]);
        }
    }

    private FileSystemWatcher CreateWatcher(string directory)
    {
        var watcher = new FileSystemWatcher(directory, "*.yaml") { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size };
        try
        {
            watcher.Changed += OnChanged;
            watcher.Created += OnChanged;
            watcher.Deleted += OnChanged;
            watcher.Renamed += OnChanged;
            watcher.Error += (_, e) => LogWatcherFailed(_logger, e.GetException());
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch
        {
            watcher.Dispose();
            throw;
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e) =>
        _debounce?.Change(_options.ReloadDebounce, Timeout.InfiniteTimeSpan);

    // Editors touch files without changing them; an unchanged set is not a reload.
    private static string Signature(FlowSet set) =>
        string.Join('|', set.Flows.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name}@{f.Version}"))
        + $"|routes:{set.Routes.Default}:{string.Join(',', set.Routes.Routes.Select(r => $"{r.Did}/{r.Trunk}/{r.Flow}/{r.When?.Source}/{r.Use}"))}";

    private void LogLoaded(FlowSet set, string verb)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var flows = string.Join(", ", set.Flows.Values.Select(f => $"{f.Name}@{f.Version}"));
            LogFlowSet(_logger, verb, set.Flows.Count, flows, set.Routes.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Verb} {Count} call flow(s): {Flows}; default {Default}")]
    private static partial void LogFlowSet(ILogger logger, string verb, int count, string flows, string @default);

    [LoggerMessage(Level = LogLevel.Error, Message = "Changed call flows rejected, keeping the current ones; {Count} error(s):\n{Errors}")]
    private static partial void LogRejected(ILogger logger, int count, string errors);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading call flows failed; keeping the current ones")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the call flow directory failed; live reload may miss changes")]
    private static partial void LogWatcherFailed(ILogger logger, Exception exception);
}
