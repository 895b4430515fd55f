namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>
/// The database could not be reached or refused the write. The consumer lets MassTransit retry the message
/// without acknowledging it, so the event stays on the queue until the database is back.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
