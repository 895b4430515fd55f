using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// A flow's <c>early_media</c> announcement, played before the call is answered, the same way on a live call and in
/// <c>simulate</c>: rendered first (so a missing prompt or a failing speech engine costs nothing but the announcement),
/// then the channel is opened (the 183) and, once the caller's address is known (a PRACK's answer to an offer in the
/// 183), the audio played to its end. The answer, and with it <c>CallStarted</c>
/// and billing, comes after; that is the caller's to do.
/// </summary>
public sealed class EarlyMediaPlayer(ISpeechSynthesizer speech, IPromptStore prompts)
{
    private const int SampleRate = 8000;

    /// <summary>
    /// Plays <paramref name="flow"/>'s announcement on <paramref name="channel"/>. Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires (CANCEL, or a reliable
    /// 183 never acknowledged).
    /// </summary>
    public async Task<EarlyMediaResult> PlayAsync(FlowDefinition flow, IEarlyMediaChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(channel);
        if (flow.EarlyMedia is not { } announcement)
        {
            return new EarlyMediaResult(EarlyMediaStatus.NotConfigured);
        }

        if (!channel.IsAvailable)
        {
            return new EarlyMediaResult(EarlyMediaStatus.Unavailable);
        }

        ReadOnlyMemory<short> audio;
        try
        {
            audio = announcement.File is { } file
                ? await prompts.GetAsync(file, cancellationToken).ConfigureAwait(false)
                : await speech.SynthesizeAsync(announcement.Text!, announcement.Voice ?? flow.Voice, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PromptUnavailableException or SpeechSynthesisException)
        {
            return new EarlyMediaResult(EarlyMediaStatus.RenderFailed, Problem: ex.Message);
        }

        var length = TimeSpan.FromSeconds((double)audio.Length / SampleRate);
        if (!channel.Open(length))
        {
            return new EarlyMediaResult(EarlyMediaStatus.NotOpened, length);
        }

        // Audio played before the answer to our offer would have nowhere to go, so the announcement waits for it.
        if (!await channel.WhenAnsweredAsync(cancellationToken).ConfigureAwait(false))
        {
            return new EarlyMediaResult(EarlyMediaStatus.NotAnswered, length);
        }

        await channel.PlayAsync(audio, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new EarlyMediaResult(EarlyMediaStatus.Played, length);
    }
}
