using Microsoft.Extensions.Configuration;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Eval;

/// <summary>The <c>--config</c> option of <c>eval</c> and <c>simulate</c>: a JSON settings file's <c>Paralinguistics</c> section.</summary>
public static class ParalinguisticsSettings
{
    /// <summary>Binds and validates the section of <paramref name="file"/>; the defaults without a file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidOperationException">A value is out of range (the message names the key).</exception>
    public static ParalinguisticsOptions Load(FileInfo? file)
    {
        var options = new ParalinguisticsOptions();
        if (file is not null)
        {
            if (!file.Exists)
            {
                throw new FileNotFoundException($"Settings file '{file.FullName}' does not exist.", file.FullName);
            }

            new ConfigurationBuilder().AddJsonFile(file.FullName).Build().GetSection(ParalinguisticsOptions.SectionName).Bind(options);
        }

        options.Validate();
        return options;
    }
}
