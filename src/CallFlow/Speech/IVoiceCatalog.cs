namespace StepAudio.Telephony.CallFlow.Speech;

/// <summary>The voices the speech engine has, so <c>validate</c> can reject a <c>voice</c> before a caller hears it.</summary>
public interface IVoiceCatalog
{
    /// <summary>Null when <paramref name="voice"/> can be used; otherwise what is wrong and what would work.</summary>
    string? Check(string voice);
}
