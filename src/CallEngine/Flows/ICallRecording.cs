namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>The caller's audio being written for one <c>record</c> step; disposing stops and completes it.</summary>
public interface ICallRecording : IDisposable
{
    /// <summary>Where it is written (what the flow's <c>as</c> variable gets).</summary>
    string Path { get; }

    /// <summary>Audio written so far.</summary>
    TimeSpan Length { get; }

    /// <summary>Why writing failed, if it did.</summary>
    Exception? Failure { get; }
}
