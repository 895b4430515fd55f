using System.Buffers;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>
/// Runs the analyzer at once, on the thread that closed the span: a simulation's analyses are then finished before
/// its virtual clock moves on, so the same audio gives the same events and the same decisions every time.
/// </summary>
public sealed class InlineSegmentAnalysis(ISegmentAnalyzer analyzer) : ISegmentAnalysisRunner
{
    /// <inheritdoc />
    public bool TryEnqueue(AnalysisJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        SegmentAnalysis? result;
        try
        {
            result = analyzer.Analyze(job.Audio.AsSpan(0, job.Length), job.Start, job.IsSpeech, job.Speaker);
            AnalysisMetrics.Analysed.Add(1);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // As on the gateway's workers: a bad span is not analysed, and the call goes on.
            AnalysisMetrics.Failed.Add(1);
            result = null;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(job.Audio, clearArray: true); // caller audio must not linger in pooled memory
        }

        job.Owner.OnAnalysed(job, result);
        return true;
    }
}
