namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>The database behind the event store.</summary>
public enum StoreProvider
{
    /// <summary>An embedded SQLite file: no set-up, one service instance.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server that several service instances share.</summary>
    Postgres,
}
