using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>
/// Prompts named by an http(s) URL (<c>play: https://cdn.example.com/welcome.wav</c>), downloaded with a time limit
/// and a size bound, converted like files and kept for <see cref="PromptOptions.UrlCacheTime"/>; every other name
/// goes to the file store it wraps. A refresh that fails keeps the audio fetched before (a stale prompt plays while the refresh runs). Thread-safe: callers asking
/// for one URL at once share one download.
/// </summary>
public sealed class UrlPromptStore : IPromptStore
{
    private readonly IPromptStore _files;
    private readonly HttpClient _http;
    private readonly PromptOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the store; <paramref name="http"/> is shared, not owned.</summary>
    public UrlPromptStore(IPromptStore files, HttpClient http, PromptOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _files = files;
        _http = http;
        _options = options;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<short>> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!PromptSource.IsUrl(name))
        {
            return await _files.GetAsync(name, cancellationToken).ConfigureAwait(false);
        }

        if (PromptSource.CheckUrl(name) is { } problem)
        {
            throw new PromptUnavailableException(problem);
        }

        var now = _time.GetUtcNow();
        var entry = _cache.GetValueOrDefault(name);
        if (entry?.Samples is { } samples)
        {
            // Stale audio keeps playing while a fresh copy downloads in the background; a failed refresh is tried
            // again on the next use.
            if (now - entry.FetchedAt >= _options.UrlCacheTime && entry.Download.IsCompleted)
            {
                _ = StartDownload(name, entry, now);
            }

            return samples;
        }

        var download = entry?.Download is { IsCompleted: false } running ? running : StartDownload(name, entry, now);
        return await download.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<short[]> StartDownload(string url, Entry? previous, DateTimeOffset now)
    {
        var download = DownloadAsync(url);
        var entry = new Entry(previous?.Samples, previous?.FetchedAt ?? now, download);
        _cache[url] = entry;
        _ = download.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    _cache[url] = new Entry(t.Result, _time.GetUtcNow(), t);
                    Trim();
                }
                else
                {
                    // Observed here, so a background refresh that failed is not an unobserved task exception.
                    _ = t.Exception;
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return download;
    }

    private void Trim()
    {
        while (_cache.Count > Math.Max(1, _options.UrlCacheEntries))
        {
            var oldest = _cache.MinBy(e => e.Value.FetchedAt);
            _cache.TryRemove(oldest);
        }
    }

    private async Task<short[]> DownloadAsync(string url)
    {
        // One download serves every caller waiting for it, so no single caller's hang-up cancels it; the time
        // limit does.
        using var timeout = new CancellationTokenSource(_options.UrlTimeout, _time);
        var file = Path.Combine(Path.GetTempPath(), "stepaudio-prompt-" + Guid.NewGuid().ToString("N"));
        try
        {
            try
            {
                await SaveAsync(url, file, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new PromptUnavailableException($"Prompt {url} was not downloaded within {_options.UrlTimeout.TotalSeconds:0.###}s.");
            }
            catch (HttpRequestException ex)
            {
                throw new PromptUnavailableException($"Prompt {url} could not be downloaded: {ex.Message}", ex);
            }

            return PromptConverter.Convert(file, $"Prompt {url}", CancellationToken.None);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task SaveAsync(string url, string file, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("audio/*"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new PromptUnavailableException($"Prompt {url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        // A web page or an error document in JSON is the usual wrong answer (a login page, a CDN error); say so
        // rather than let sox fail on it.
        if (response.Content.Headers.ContentType?.MediaType is { } type
            && (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.Contains("json", StringComparison.OrdinalIgnoreCase)
                || type.Contains("xml", StringComparison.OrdinalIgnoreCase)))
        {
            throw new PromptUnavailableException($"Prompt {url} is not audio (Content-Type {type}).");
        }

        if (response.Content.Headers.ContentLength > _options.UrlMaxBytes)
        {
            throw new PromptUnavailableException(TooLarge(url));
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var output = File.Create(file);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > _options.UrlMaxBytes)
            {
                throw new PromptUnavailableException(TooLarge(url));
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
    }

    private string TooLarge(string url) => $"Prompt {url} is larger than the limit of {_options.UrlMaxBytes} bytes (Prompts:UrlMaxBytes).";

    private sealed record Entry(short[]? Samples, DateTimeOffset FetchedAt, Task<short[]> Download);
}
