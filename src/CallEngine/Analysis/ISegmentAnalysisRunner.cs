namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>
/// Where a call's closed spans are analysed: on shared worker threads in the gateway (<see cref="SegmentAnalysisQueue"/>,
/// so media never waits), or in line on the virtual clock in a simulation (<see cref="InlineSegmentAnalysis"/>, so a
/// simulation gives the same events every time).
/// </summary>
public interface ISegmentAnalysisRunner
{
    /// <summary>
    /// Takes <paramref name="job"/> without blocking the caller's media and reports the result to
    /// <see cref="AnalysisJob.Owner"/>; false (the buffer returned to the pool) when it cannot take it.
    /// </summary>
    bool TryEnqueue(AnalysisJob job);
}
