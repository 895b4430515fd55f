using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using StepAudio.Telephony.Inference.Onnx;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Models;
using StepAudio.Telephony.Inference.Tests.Paralinguistics;
using StepAudio.Telephony.Inference.Tests.TestSupport;

namespace StepAudio.Telephony.Inference.Tests.Onnx;

/// <summary>
/// The provider rule shared by every model: these tests run on the CPU natives (no CUDA provider in the build), so
/// "cuda" must fall back with one warning or refuse, as configured. On a host with CUDA they check that it is used.
/// </summary>
public sealed class OnnxSessionOptionsFactoryTests : IDisposable
{
    private static readonly bool CudaUsable = ProbeCuda();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("cpu", true)]
    [InlineData("CUDA", true)]
    [InlineData("Cuda", true)]
    [InlineData("rocm", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Known_providers_are_cpu_and_cuda_in_any_case(string? provider, bool known) =>
        Assert.Equal(known, OnnxSessionOptionsFactory.IsKnown(provider));

    [Fact]
    public void Cpu_is_used_without_a_word()
    {
        var logger = new CapturingLogger<OnnxSessionOptionsFactoryTests>();

        using var options = OnnxSessionOptionsFactory.Create("test model", "cpu", failIfUnavailable: true, 2, logger, out var chosen);

        Assert.Equal("cpu", chosen);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void Cuda_that_cannot_be_used_falls_back_with_exactly_one_warning_naming_the_model()
    {
        var logger = new CapturingLogger<OnnxSessionOptionsFactoryTests>();

        using var options = OnnxSessionOptionsFactory.Create("test model", "cuda", failIfUnavailable: false, 1, logger, out var chosen);

        if (CudaUsable)
        {
            Assert.Equal("cuda", chosen);
            Assert.Empty(logger.Entries);
            return;
        }

        Assert.Equal("cpu", chosen);
        var line = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.StartsWith("test model: CUDA execution provider requested but unavailable, running on the CPU instead (", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_that_cannot_be_used_is_refused_when_told_to()
    {
        if (CudaUsable)
        {
            return;
        }

        var logger = new CapturingLogger<OnnxSessionOptionsFactoryTests>();
        var error = Assert.Throws<InvalidOperationException>(
            () => OnnxSessionOptionsFactory.Create("test model", "cuda", failIfUnavailable: true, 1, logger, out _));

        Assert.StartsWith("test model: the CUDA execution provider was requested but cannot be used", error.Message, StringComparison.Ordinal);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void The_model_slot_asked_for_cuda_still_classifies_on_the_fallback()
    {
        var path = Path.Combine(_dir.Path, "loudness.onnx");
        File.WriteAllBytes(path, TinyOnnxModel.Loudness(0.1f, softmax: true));
        var options = OnnxAudioClassifierTests.Options(path, AudioOutputKind.Probabilities, "angry", "sad");
        options.ExecutionProvider = "cuda";
        var logger = new CapturingLogger<OnnxAudioClassifier>();

        using var classifier = new OnnxAudioClassifier(options, logger);

        Assert.Equal(CudaUsable ? "cuda" : "cpu", classifier.ExecutionProvider);
        Assert.Equal(CudaUsable ? 0 : 1, logger.Entries.Count(e => e.Level == LogLevel.Warning));
        var loud = classifier.Classify([.. Enumerable.Range(0, 16_000).Select(i => 0.5f * MathF.Sin(2 * MathF.PI * 220 * i / 16_000f))]);
        Assert.Equal(EmotionLabel.Angry, loud.Emotions[0].Label);
    }

    [Fact]
    public void The_model_slot_refuses_an_unknown_provider_at_start()
    {
        var options = OnnxAudioClassifierTests.Options("unused.onnx", AudioOutputKind.Probabilities, "angry", "sad");
        options.ExecutionProvider = "tpu";

        var error = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("ExecutionProvider", error.Message, StringComparison.Ordinal);
    }

    private static bool ProbeCuda()
    {
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or OnnxRuntimeException or DllNotFoundException)
        {
            return false;
        }
    }
}
