using System.Collections.Concurrent;
using StepAudio.Telephony.Inference.Recognition;
using StepAudio.Telephony.Inference.Sentiment;

namespace StepAudio.Telephony.CallEngine.Recognition;

/// <summary>
/// The words of each caller turn of one call, recognised once when the turn's speech ends and shared by whoever needs
/// them: a speech <c>gather</c> (<c>text</c>, <c>confidence</c>), the model's turn, and the turn's
/// <c>EmotionDetected</c>, which carries how the words agree with the voice (a label, never the words).
/// </summary>
public sealed class TurnWords(CallerWords words) : IDisposable
{
    private static readonly Task<RecognitionResult?> None = Task.FromResult<RecognitionResult?>(null);

    private readonly ConcurrentDictionary<int, Task<RecognitionResult?>> _turns = new();
    private readonly CancellationTokenSource _call = new();

    /// <summary>Starts recognising turn <paramref name="turn"/>'s audio (a recogniser that answers at once is done on return).</summary>
    public void Start(int turn, string callId, float[] audio) =>
        _turns[turn] = words.RecognizeAsync(callId, audio, _call.Token);

    /// <summary>The words of <paramref name="turn"/>: null when it had none, or when no recognition was started for it.</summary>
    public Task<RecognitionResult?> Of(int turn) => _turns.GetValueOrDefault(turn) ?? None;

    /// <summary>
    /// The <c>wordsVoice</c> label of <c>EmotionDetected</c>: <c>consistent</c>, <c>ambiguous_negative</c> or
    /// <c>ambiguous_positive</c>; null without words or when the words carried no opinion.
    /// </summary>
    public static string? Agreement(RecognitionResult? heard, double voiceValence) =>
        WordsVoiceAgreement.Compare(TextValenceLexicon.Score(heard?.Text), voiceValence) switch
        {
            null => null,
            { Mismatch: false } => "consistent",
            { VoiceValence: < 0 } => "ambiguous_negative",
            _ => "ambiguous_positive",
        };

    /// <summary>The call ended: recognitions still running are cancelled (their turns get no words).</summary>
    public void Dispose()
    {
        _call.Cancel();
        _call.Dispose();
    }
}
