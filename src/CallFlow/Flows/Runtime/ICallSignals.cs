namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// The live analysis of the caller as a flow sees it. Values change on the media and analysis threads; readers get
/// a recent, consistent-enough snapshot (each property on its own).
/// </summary>
public interface ICallSignals
{
    /// <summary>Time since the call was answered on the call's clock (media time; virtual in simulations).</summary>
    TimeSpan Now { get; }

    /// <summary>Latest emotion label in lower case (<c>neutral</c> before any analysis).</summary>
    string Emotion { get; }

    /// <summary>Current frustration score, 0 to 1.</summary>
    double Frustration { get; }

    /// <summary>Whether the caller is speaking now.</summary>
    bool CallerSpeaking { get; }

    /// <summary>When the caller last spoke or pressed a key (<see cref="TimeSpan.Zero"/> if never).</summary>
    TimeSpan LastCallerActivity { get; }

    /// <summary>
    /// How often the caller made the vocal sound <paramref name="kind"/> (snake case: <c>sigh</c>, <c>laugh</c>,
    /// <c>gasp</c>, <c>cough</c>, <c>throat_clear</c>, <c>crying</c>) at or after <paramref name="since"/>.
    /// </summary>
    int VocalEventCount(string kind, TimeSpan since);

    /// <summary>Raised after any change, and at least every 100 ms of call time while the call is up.</summary>
    event EventHandler? Changed;
}
