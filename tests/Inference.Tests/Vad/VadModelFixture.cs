using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Tests.TestSupport;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Inference.Tests.Vad;

/// <summary>One CPU model shared by a test class, as the gateway shares one across calls.</summary>
public sealed class VadModelFixture : IDisposable
{
    public VadModelFixture()
    {
        Options = new VadOptions { ModelPath = VadModelLocator.Locate() };
        Model = new SileroVadModel(Microsoft.Extensions.Options.Options.Create(Options));
    }

    public VadOptions Options { get; }

    public SileroVadModel Model { get; }

    public void Dispose() => Model.Dispose();
}
