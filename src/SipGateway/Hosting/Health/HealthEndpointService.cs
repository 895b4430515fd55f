using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StepAudio.Telephony.SipGateway.Hosting.Health;

/// <summary>
/// Serves <c>GET /healthz</c> (200 while the process serves requests: liveness) and <c>GET /readyz</c> (200 or 503
/// with every check as JSON: readiness) on <c>Health:ListenAddress:Port</c>.
/// </summary>
internal sealed partial class HealthEndpointService(
    IOptions<HealthOptions> options,
    GatewayReadiness readiness,
    ILogger<HealthEndpointService> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private HttpListener? _listener;

    /// <summary>The prefix listened on, once started (tests use port 0 through a free port of their own).</summary>
    public string? Prefix { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Port == 0)
        {
            return Task.CompletedTask;
        }

        var host = settings.ListenAddress is "*" or "0.0.0.0" ? "+" : settings.ListenAddress;
        Prefix = $"http://{host}:{settings.Port}/";
        _listener = new HttpListener();
        _listener.Prefixes.Add(Prefix);
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new InvalidOperationException($"Health endpoint cannot listen on {Prefix}: {ex.Message}", ex);
        }

        LogListening(logger, Prefix);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _listener?.Stop();
        await base.StopAsync(cancellationToken);
        _listener?.Close();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                Respond(context);
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or InvalidOperationException)
            {
                // A prober that hangs up early must not end the endpoint.
                LogResponseFailed(logger, ex);
            }
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var response = context.Response;
        var path = context.Request.Url?.AbsolutePath;
        if (context.Request.HttpMethod != "GET")
        {
            Write(response, 405, "text/plain", "method not allowed\n");
        }
        else if (path == "/healthz")
        {
            Write(response, 200, "text/plain", "ok\n");
        }
        else if (path == "/readyz")
        {
            var report = readiness.Check();
            var body = JsonSerializer.Serialize(new { ready = report.Ready, checks = report.Checks }, Json);
            Write(response, report.Ready ? 200 : 503, "application/json", body + "\n");
        }
        else
        {
            Write(response, 404, "text/plain", "not found\n");
        }
    }

    private static void Write(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType + "; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        response.Headers["Cache-Control"] = "no-store";
        response.OutputStream.Write(bytes);
        response.Close();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health endpoints on {Prefix}healthz and {Prefix}readyz")]
    private static partial void LogListening(ILogger logger, string prefix);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Health response not sent")]
    private static partial void LogResponseFailed(ILogger logger, Exception exception);
}
