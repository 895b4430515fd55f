namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>How a <c>play</c> value is read: an http(s) URL is downloaded, anything else is a file in the prompt directory.</summary>
public static class PromptSource
{
    /// <summary>Whether <paramref name="name"/> is written as a URL (<c>scheme://…</c>), supported or not.</summary>
    public static bool IsUrl(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var separator = name.IndexOf("://", StringComparison.Ordinal);
        return separator > 0 && name[..separator].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
    }

    /// <summary>Null for an absolute http:// or https:// URL with a host; otherwise what is wrong.</summary>
    public static string? CheckUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return $"'{url}' is not a valid URL";
        }

        return uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps
            ? null
            : $"'{url}': only http:// and https:// prompts can be played, not {uri.Scheme}://";
    }
}
