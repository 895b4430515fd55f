using System.Buffers;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.CallEngine.Tests.Turns;

/// <summary>Holds a call's analysis jobs until the test lets them finish: a slow analyzer without threads or sleeps.</summary>
internal sealed class HeldAnalysisRunner(ISegmentAnalyzer analyzer) : ISegmentAnalysisRunner
{
    private readonly Queue<AnalysisJob> _held = new();

    public int Held => _held.Count;

    public bool TryEnqueue(AnalysisJob job)
    {
        _held.Enqueue(job);
        return true;
    }

    /// <summary>Finishes every held job, in order, on this thread.</summary>
    public void Finish()
    {
        while (_held.TryDequeue(out var job))
        {
            var result = analyzer.Analyze(job.Audio.AsSpan(0, job.Length), job.Start, job.IsSpeech, job.Speaker);
            ArrayPool<float>.Shared.Return(job.Audio, clearArray: true);
            job.Owner.OnAnalysed(job, result);
        }
    }
}
