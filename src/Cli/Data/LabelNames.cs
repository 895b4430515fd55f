namespace StepAudio.Telephony.Cli.Data;

/// <summary>
/// Folder names as labels: lower case, spaces and hyphens as underscores, and the common spellings of a sound or an
/// emotion (a set labelled by the sound says "laughter", "coughing", "throat clearing", "sobbing") mapped onto the one
/// name <c>eval</c> and <c>train</c> report.
/// </summary>
public static class LabelNames
{
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["laughter"] = "laugh", ["laughs"] = "laugh", ["laughing"] = "laugh",
        ["sighs"] = "sigh", ["sighing"] = "sigh",
        ["gasps"] = "gasp", ["gasping"] = "gasp",
        ["coughs"] = "cough", ["coughing"] = "cough",
        ["throatclear"] = "throat_clear", ["throat_clears"] = "throat_clear", ["throat_clearing"] = "throat_clear",
        ["throatclearing"] = "throat_clear", ["clearing_throat"] = "throat_clear", ["clear_throat"] = "throat_clear",
        ["cry"] = "crying", ["cries"] = "crying", ["sob"] = "crying", ["sobs"] = "crying", ["sobbing"] = "crying",
        ["anger"] = "angry", ["happiness"] = "happy", ["sadness"] = "sad", ["frustration"] = "frustrated",
    };

    /// <summary>The label a folder named <paramref name="folderName"/> stands for.</summary>
    public static string Normalize(string folderName)
    {
        ArgumentNullException.ThrowIfNull(folderName);
        var name = folderName.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
        return Synonyms.GetValueOrDefault(name, name);
    }
}
