namespace StepAudio.Telephony.CallFlow.Speech;

/// <summary>One line of <c>espeak-ng --voices</c>.</summary>
/// <param name="Language">The language code that selects it (<c>en-us</c>): what flows write as <c>voice</c>.</param>
/// <param name="Name">The voice's name (<c>English_(America)</c>).</param>
/// <param name="Gender">M or F as espeak-ng lists it, <c>-</c> when it gives none.</param>
/// <param name="File">The voice file (<c>gmw/en-US</c>), which also selects it.</param>
/// <param name="OtherLanguages">Further codes it answers to (<c>en</c>), with espeak-ng's priority dropped.</param>
public sealed record EspeakVoice(string Language, string Name, string Gender, string File, IReadOnlyList<string> OtherLanguages);
