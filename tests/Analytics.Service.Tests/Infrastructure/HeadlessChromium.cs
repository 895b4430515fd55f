using System.ComponentModel;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>
/// A headless Chromium showing one page, read through the DevTools protocol. <c>--dump-dom</c> is not enough here:
/// it dumps at load, before the page's EventSource has received anything, and <c>--virtual-time-budget</c> never
/// ends while an event stream is open. Over DevTools the test can read the live DOM as often as it likes.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly ClientWebSocket _socket;
    private int _nextId;

    private HeadlessChromium(Process process, TempDirectory profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
    }

    /// <summary>Opens <paramref name="page"/>; fails the test (never skips) when Chromium is not installed.</summary>
    public static async Task<HeadlessChromium> OpenAsync(Uri page)
    {
        Assert.True(File.Exists(Executable),
            $"{Executable} is required by the live page test: apt-get install chromium, or run scripts/setup.sh");
        var profile = new TempDirectory();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                     "--user-data-dir=" + profile.Path, page.ToString(),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        }
        catch (Win32Exception ex)
        {
            profile.Dispose();
            throw new InvalidOperationException($"chromium could not be started ({ex.Message}); apt-get install chromium", ex);
        }

        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        try
        {
            var browserEndpoint = await ReadDevToolsEndpointAsync(process);
            var socket = new ClientWebSocket();
            using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a browser starting on a loaded machine
            await socket.ConnectAsync(await PageEndpointAsync(browserEndpoint, page), connect.Token);
            return new HeadlessChromium(process, profile, socket);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            profile.Dispose();
            throw;
        }
    }

    /// <summary>The page's current DOM as HTML; empty while the page is still navigating and has no document.</summary>
    public async Task<string> OuterHtmlAsync()
    {
        var result = await SendAsync("Runtime.evaluate", new { expression = "document.documentElement.outerHTML", returnByValue = true });
        return result.TryGetProperty("exceptionDetails", out _)
            || !result.GetProperty("result").TryGetProperty("value", out var html)
            ? string.Empty
            : html.GetString() ?? string.Empty;
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its JSON value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var error))
        {
            throw new InvalidOperationException($"the page threw evaluating {expression}: {error}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>Evaluates <paramref name="expression"/> until it is true; fails with <paramref name="what"/> when it never is.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout, string what)
    {
        var giveUp = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await EvaluateAsync(expression);
            if (value.ValueKind == JsonValueKind.True)
            {
                return;
            }

            if (DateTime.UtcNow >= giveUp)
            {
                Assert.Fail($"the page never showed {what} within {timeout.TotalSeconds:0} s; last DOM:\n{await OuterHtmlAsync()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Lays the page out as in a window of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public Task SetViewportAsync(int width, int height) =>
        SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });

    /// <summary>Saves a PNG of the whole page (beyond the viewport too) to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var result = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result.GetProperty("data").GetString()!));
    }

    /// <summary>Reads the DOM until <paramref name="condition"/> holds; fails with the last DOM when it never does.</summary>
    public async Task<string> WaitForDomAsync(Func<string, bool> condition, TimeSpan timeout, string what)
    {
        var giveUp = DateTime.UtcNow + timeout;
        while (true)
        {
            var html = await OuterHtmlAsync();
            if (condition(html))
            {
                return html;
            }

            if (DateTime.UtcNow >= giveUp)
            {
                Assert.Fail($"the page never showed {what} within {timeout.TotalSeconds:0} s; last DOM:\n{html}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _profile.Dispose();
    }

    private async Task<JsonElement> SendAsync(string method, object parameters)
    {
        var id = ++_nextId;
        var request = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters });
        // A bound on a browser that stopped answering, not a speed target: at load average 44 one Runtime.evaluate
        // took longer than 30 s.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await _socket.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            using var reply = JsonDocument.Parse(message.ToArray());
            if (reply.RootElement.TryGetProperty("id", out var replyId) && replyId.GetInt32() == id)
            {
                if (reply.RootElement.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException($"DevTools {method} failed: {error}");
                }

                return reply.RootElement.GetProperty("result").Clone();
            }
        }
    }

    private static async Task<Uri> ReadDevToolsEndpointAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new StringBuilder();
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            var match = DevToolsListening().Match(line);
            if (match.Success)
            {
                // Keep draining stderr so Chromium never blocks on a full pipe.
                _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
                return new Uri(match.Groups[1].Value);
            }
        }

        throw new InvalidOperationException($"chromium exited without opening DevTools:\n{seen}");
    }

    private static async Task<Uri> PageEndpointAsync(Uri browserEndpoint, Uri page)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{browserEndpoint.Authority}/") };
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(60); // the page target appears once the browser has loaded it
        while (true)
        {
            var targets = await http.GetFromJsonAsync<JsonElement>("json/list");
            foreach (var target in targets.EnumerateArray())
            {
                if (target.GetProperty("type").GetString() == "page"
                    && target.GetProperty("url").GetString()?.StartsWith(page.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) == true)
                {
                    return new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!);
                }
            }

            if (DateTime.UtcNow >= giveUp)
            {
                throw new InvalidOperationException($"chromium shows no page for {page}: {targets}");
            }

            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsListening();
}
