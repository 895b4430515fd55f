using System.Net;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Flows;

/// <summary>
/// Voicemail on a real call: with <c>Recording:Messages</c> the <c>record</c> step writes only the caller's message
/// (never a recording of the whole call) and uploads it to the flow's webhook; without it the step fails.
/// </summary>
public sealed class FlowRecordTests : IDisposable
{
    private const string RecordFlow = """
        flow: voicemail
        start: take
        steps:
          take:
            record:
              max_length: 2s
              silence_timeout: 5s
              beep: false
              webhook:
                url: "http://127.0.0.1:{PORT}/voicemail?caller={{ caller }}"
            next: bye
          bye:
            hangup:
              reason: recorded
        """;

    private readonly string _flows = Directory.CreateTempSubdirectory("stepaudio-flows-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose()
    {
        Directory.Delete(_flows, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Record_uploads_only_the_message_and_only_when_message_recording_is_on(bool messages)
    {
        var port = FreePort.Tcp();
        using var crm = new HttpListener();
        crm.Prefixes.Add($"http://127.0.0.1:{port}/");
        crm.Start();
        var upload = ReceiveOneAsync(crm);
        var recordings = Directory.CreateDirectory(Path.Combine(_work, "recordings")).FullName;
        await File.WriteAllTextAsync(Path.Combine(_flows, "voicemail.yaml"), RecordFlow.Replace("{PORT}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(_flows, "routes.yaml"), "routes: []\ndefault: voicemail\n");
        File.CreateSymbolicLink(Path.Combine(_work, "pcap"), "/usr/share/sip-tester");
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["CallFlow__Enabled"] = "true",
            ["CallFlow__Directory"] = _flows,
            ["Recording__Enabled"] = "false",
            ["Recording__Messages"] = messages ? "true" : "false",
            ["Recording__Directory"] = recordings,
        });

        // The caller talks (recorded A-law speech) and waits for the gateway's BYE.
        var sipp = await Sipp.CallAsync(gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, "uac_talk_until_bye.xml"), _work);

        Assert.True(sipp.ExitCode == 0, "sipp did not get the flow's BYE: " + sipp.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var ended = Assert.IsType<CallEnded>((await events.WaitForEndedCallsAsync(gateway.SipPort, 1, TimeSpan.FromSeconds(30))).Single()[^1]);

        // Never a recording of the whole call: the message was uploaded and removed, or never written.
        Assert.Empty(Directory.GetFiles(recordings));
        if (messages)
        {
            Assert.Equal(("completed", "bye"), (ended.Outcome, ended.LastStep));
            var (contentType, body, query) = await upload.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("multipart/form-data", contentType, StringComparison.Ordinal);
            Assert.Contains("caller=", query, StringComparison.Ordinal);
            var text = System.Text.Encoding.Latin1.GetString(body);
            Assert.Contains("name=audio; filename=" + ended.CallId + "-1.wav", text, StringComparison.Ordinal);
            Assert.Contains("\"ended_by\":\"max_length\"", text, StringComparison.Ordinal);
            Assert.InRange(body.Length, 44 + (2 * 8000), 2048 + (2 * 8000 * 3)); // about max_length of 8 kHz audio, plus the parts' headers
        }
        else
        {
            Assert.Equal(("failed", "take"), (ended.Outcome, ended.LastStep));
            Assert.Contains("Recording:Messages", gateway.Output, StringComparison.Ordinal);
            Assert.False(upload.IsCompleted);
        }
    }

    private static async Task<(string ContentType, byte[] Body, string Query)> ReceiveOneAsync(HttpListener listener)
    {
        var context = await listener.GetContextAsync();
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync("{}"u8.ToArray());
        context.Response.Close();
        return (context.Request.ContentType ?? string.Empty, body.ToArray(), context.Request.Url?.Query ?? string.Empty);
    }
}
