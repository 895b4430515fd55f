using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Conversation;

/// <summary>
/// A flows folder and a sipp work folder for one test class, and the call those tests make: sipp says one sentence
/// (uac_converse.xml) into a real gateway that runs the flows, and the call's events come back from RabbitMQ.
/// </summary>
internal sealed class SpokenCallWorkspace : IDisposable
{
    /// <summary>A flow that hands the call to the conversation model, with hangup as its only action.</summary>
    public const string AssistantFlow = """
        flow: assistant
        start: talk
        steps:
          talk:
            converse:
              instructions: You are the test line's assistant.
              actions: [hangup]
              max_turns: 3
              fallback: sorry
          sorry:
            say: Sorry.
        """;

    private const string Sentence = "I would like to pay my bill please";

    public SpokenCallWorkspace(string name)
    {
        Flows = Directory.CreateTempSubdirectory($"stepaudio-{name}-flows-").FullName;
        Work = Directory.CreateTempSubdirectory($"stepaudio-{name}-e2e-").FullName;
    }

    public string Flows { get; }

    public string Work { get; }

    public Task WriteFlowAsync(string name, string yaml) =>
        File.WriteAllTextAsync(Path.Combine(Flows, name + ".yaml"), yaml);

    /// <summary>
    /// Places the call with <paramref name="settings"/> added to the flow settings; returns its events (CallEnded last)
    /// and everything the gateway logged.
    /// </summary>
    public async Task<(IReadOnlyList<ICallEvent> Call, string Output)> CallAsync(IReadOnlyDictionary<string, string> settings)
    {
        var made = await ExternalTool.RunAsync(
            "bash", [Path.Combine(RepositoryPaths.Scripts, "make-speech.sh"), Work, Sentence], null, TimeSpan.FromSeconds(60));
        Assert.True(made.ExitCode == 0, made.Describe());
        File.Copy(Path.Combine(RepositoryPaths.SippScenarios, "uac_converse.xml"), Path.Combine(Work, "uac_converse.xml"), overwrite: true);
        await using var events = await EventCollector.StartAsync();
        var environment = new Dictionary<string, string>(settings)
        {
            ["CallFlow__Enabled"] = "true",
            ["CallFlow__Directory"] = Flows,
        };
        await using var gateway = await GatewayProcess.StartAsync(environment);

        var caller = await Sipp.CallAsync(gateway.SipPort, Path.Combine(Work, "uac_converse.xml"), Work);

        Assert.True(caller.ExitCode == 0, "caller: " + caller.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var call = (await events.WaitForEndedCallsAsync(gateway.SipPort, 1, TimeSpan.FromSeconds(30))).Single();
        return (call, gateway.Output);
    }

    public void Dispose()
    {
        Directory.Delete(Flows, recursive: true);
        Directory.Delete(Work, recursive: true);
    }
}
