using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.Inference.Tests.Conversation;

public sealed class ConversationOptionsTests
{
    [Fact]
    public void Transcripts_are_off_by_default_and_the_privacy_section_names_the_setting()
    {
        Assert.False(new ConversationOptions().LogTranscripts);
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "docs", "events.md")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var events = File.ReadAllText(Path.Combine(directory.FullName, "docs", "events.md"));
        var privacy = events[events.IndexOf("\n## Privacy", StringComparison.Ordinal)..];
        Assert.Contains($"`{ConversationOptions.SectionName}:{nameof(ConversationOptions.LogTranscripts)}=true`", privacy, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_describes_itself_without_its_key()
    {
        var endpoint = new ConversationEndpointOptions { BaseUrl = new Uri("http://gpu-1:8000/v1"), Model = "Step-Audio-R1.1", ApiKey = "sk-secret-123" };
        Assert.DoesNotContain("sk-secret", endpoint.ToString(), StringComparison.Ordinal);
        Assert.Equal("gpu-1/Step-Audio-R1.1", endpoint.DisplayName);
    }
}
