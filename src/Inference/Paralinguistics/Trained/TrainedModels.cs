namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>Resolves a model setting (<c>builtin</c>, <c>rules</c> or a file path) to a loaded <see cref="LinearModel"/>.</summary>
public static class TrainedModels
{
    /// <summary>Resource name of the shipped emotion model.</summary>
    public const string BuiltinEmotion = "emotion.json";

    /// <summary>Resource name of the shipped vocal-event model.</summary>
    public const string BuiltinVocalEvents = "vocal-events.json";

    /// <summary>The model <paramref name="setting"/> names, or <see langword="null"/> for <c>rules</c>.</summary>
    /// <exception cref="FileNotFoundException">A configured file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not a usable model (the message says why).</exception>
    public static LinearModel? Resolve(string setting, string builtinResource)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (string.Equals(setting, ParalinguisticsOptions.RulesModel, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (string.Equals(setting, ParalinguisticsOptions.BuiltinModel, StringComparison.OrdinalIgnoreCase))
        {
            var name = "StepAudio.Paralinguistics." + builtinResource;
            using var resource = typeof(TrainedModels).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidDataException($"Built-in model {name} is missing from the assembly.");
            return LinearModel.Load(resource, "builtin " + builtinResource);
        }

        if (!File.Exists(setting))
        {
            throw new FileNotFoundException($"Paralinguistics model file '{setting}' does not exist.", setting);
        }

        using var file = File.OpenRead(setting);
        return LinearModel.Load(file, setting);
    }
}
