namespace StepAudio.Telephony.Inference.Turns;

/// <summary>How <see cref="NonSpeechSpanFinder"/> picks candidate vocal sounds (section <c>Analysis:NonSpeech</c>).</summary>
public sealed class NonSpeechSpanOptions
{
    /// <summary>Whether non-speech spans are looked for at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How far above the running noise floor a 10 ms frame must be to belong to a span.</summary>
    public double RiseDb { get; set; } = 10;

    /// <summary>Shortest span kept: shorter bursts are clicks and line noise, not vocal sounds.</summary>
    public int MinMs { get; set; } = 120;

    /// <summary>Longest span kept: longer ones are a change of background (the floor then adopts the new level).</summary>
    public int MaxMs { get; set; } = 3000;

    /// <summary>Quiet inside a span shorter than this is bridged (the gaps between the bursts of a laugh).</summary>
    public int BridgeMs { get; set; } = 120;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(RiseDb > 0) || MinMs < 10 || MaxMs < MinMs || BridgeMs < 0)
        {
            throw new ArgumentException("Analysis:NonSpeech: RiseDb must be positive, MinMs at least 10, MaxMs at least MinMs, BridgeMs not negative.");
        }
    }
}
