using StepAudio.Telephony.Cli.Data;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Cli.Tests.Data;

/// <summary>The labelled-folder layout as public sets arrive: extensions in any case, other formats, Mac debris.</summary>
public sealed class LabelledFolderTests
{
    private static readonly string[] Labels = ["laugh", "sigh", "none"];

    [Fact]
    public void Upper_case_extensions_are_clips_and_hidden_files_and_folders_are_not()
    {
        using var folder = new TempDirectory();
        var wav = TestWav.Pcm16(16_000, new short[1_600]);
        Write(folder.Path, "laugh/a.WAV", wav);
        Write(folder.Path, "laugh/b.wav", wav);
        Write(folder.Path, "laugh/._b.wav", [0, 5, 22, 7]); // AppleDouble resource fork beside b.wav
        Write(folder.Path, "sigh/speaker1/c.Wave", wav);
        Write(folder.Path, "sigh/speaker1/notes.txt", [65]);
        Write(folder.Path, ".ipynb_checkpoints/x.wav", wav);

        var clips = LabelledFolder.Read(folder.Path, Labels);

        Assert.Equal(["a.WAV", "b.wav", "c.Wave"], clips.Select(c => Path.GetFileName(c.Path)));
        Assert.Equal(["laugh", "laugh", "sigh"], clips.Select(c => c.Label));
        Assert.Equal([LabelledFolder.UnknownSpeaker, LabelledFolder.UnknownSpeaker, "speaker1"], clips.Select(c => c.Speaker));
        var unreadable = new List<string>();
        Assert.All(clips, c => Assert.True(LabelledFolder.TryReadAudio(c, unreadable, out var audio) && audio.Length == 1_600));
        Assert.Empty(unreadable);
    }

    [Fact]
    public void Other_audio_formats_are_reported_unreadable_with_what_to_do_not_skipped()
    {
        using var folder = new TempDirectory();
        Write(folder.Path, "laugh/a.flac", [0x66, 0x4C, 0x61, 0x43]);
        Write(folder.Path, "none/b.MP3", [0x49, 0x44, 0x33]);

        var clips = LabelledFolder.Read(folder.Path, Labels);

        Assert.Equal(2, clips.Count);
        var unreadable = new List<string>();
        Assert.All(clips, c => Assert.False(LabelledFolder.TryReadAudio(c, unreadable, out _)));
        Assert.Collection(
            unreadable,
            m => Assert.Contains("a.flac: only WAV files are read; convert it first", m, StringComparison.Ordinal),
            m => Assert.Contains("b.MP3: only WAV files are read; convert it first", m, StringComparison.Ordinal));
    }

    private static void Write(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
