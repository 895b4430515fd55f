using StepAudio.Telephony.Cli.Data;
using StepAudio.Telephony.Cli.Tests.Flows;

namespace StepAudio.Telephony.Cli.Tests.Data;

/// <summary>The cut <c>eval</c> and <c>train</c> use, on the repository's Silero model: one per test run (the model is shared, as a gateway's calls share it).</summary>
internal static class TestCallCut
{
    private static readonly Lazy<CallCut> Cut = new(() => CallCut.WithModelAt(FlowCli.VadModel));

    public static CallCut Shared => Cut.Value;
}
