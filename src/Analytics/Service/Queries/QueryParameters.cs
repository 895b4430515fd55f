using System.Globalization;
using Microsoft.Extensions.Primitives;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>
/// Reads query-string parameters strictly: an unknown name (a typo would otherwise silently widen a search), a repeated
/// one, or a value that does not parse is reported with the parameter's name, and nothing is guessed.
/// </summary>
internal sealed class QueryParameters
{
    private readonly IQueryCollection _query;

    private QueryParameters(IQueryCollection query) => _query = query;

    public QueryError? Error { get; private set; }

    public static QueryParameters Read(IQueryCollection query, IReadOnlyCollection<string> allowed)
    {
        var parameters = new QueryParameters(query);
        foreach (var (name, values) in query)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                parameters.Fail(name, $"unknown parameter; accepted: {string.Join(", ", allowed)}");
            }
            else if (values.Count > 1)
            {
                parameters.Fail(name, "given more than once");
            }
        }

        return parameters;
    }

    public string? Text(string name)
    {
        var value = Raw(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public DateTimeOffset? Instant(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        Fail(name, "must be an ISO 8601 date-time, e.g. 2026-11-23T10:00:00Z");
        return null;
    }

    public double? Number(string name, double min, double max)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        Fail(name, string.Create(CultureInfo.InvariantCulture, $"must be a number from {min} to {max}"));
        return null;
    }

    public int Integer(string name, int fallback, int min, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        Fail(name, string.Create(CultureInfo.InvariantCulture, $"must be a whole number from {min} to {max}"));
        return fallback;
    }

    /// <summary>One of <paramref name="words"/> (any casing), returned in its canonical spelling.</summary>
    public string? Word(string name, IReadOnlyList<string> words)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        var word = Vocabulary.Canonical(words, text);
        if (word is null)
        {
            Fail(name, $"must be one of {string.Join(", ", words)}");
        }

        return word;
    }

    /// <summary>A comma-separated list of members of <paramref name="words"/>.</summary>
    public IReadOnlyList<string> Words(string name, IReadOnlyList<string> words)
    {
        var text = Text(name);
        if (text is null)
        {
            return [];
        }

        var result = new List<string>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var word = Vocabulary.Canonical(words, item);
            if (word is null)
            {
                Fail(name, $"'{item}' is not one of {string.Join(", ", words)} (comma-separated)");
                return [];
            }

            result.Add(word);
        }

        return result;
    }

    /// <summary>Records a problem; the first one is the one reported.</summary>
    public void Fail(string name, string error) => Error ??= new QueryError(name, error);

    private string? Raw(string name) =>
        _query.TryGetValue(name, out StringValues values) && values.Count == 1 ? values[0]?.Trim() : null;
}
