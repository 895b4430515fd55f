namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>How a <c>record</c> step's webhook receives the message.</summary>
public enum RecordingDelivery
{
    /// <summary>The WAV itself, as the <c>audio</c> part of a multipart/form-data POST (RFC 7578).</summary>
    Upload,

    /// <summary>A JSON POST whose <c>recording.url</c> says where to fetch the WAV (under the gateway's <c>Recording:BaseUrl</c>).</summary>
    Link,
}
