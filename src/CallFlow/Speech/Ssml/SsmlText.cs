using System.Globalization;
using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace StepAudio.Telephony.CallFlow.Speech.Ssml;

/// <summary>
/// The SSML subset of <c>say</c> (text that starts with <c>&lt;speak</c>): <c>speak</c>, <c>break</c> (time,
/// strength), <c>say-as</c> (digits, characters, telephone, date), <c>prosody</c> (rate), <c>p</c>, <c>s</c>.
/// espeak-ng's SSML mode (<c>-m</c>) honours speak, break, prosody rate and say-as characters itself; digits,
/// telephone numbers and dates are spelled out here first, since it would read them as plain numbers.
/// </summary>
public static class SsmlText
{
    /// <summary>The elements flows may use.</summary>
    public static readonly IReadOnlyList<string> Elements = ["speak", "break", "say-as", "prosody", "p", "s"];

    private static readonly string[] InterpretAs = ["digits", "characters", "telephone", "date"];
    private static readonly string[] Rates = ["x-slow", "slow", "medium", "fast", "x-fast", "default"];
    private static readonly string[] Strengths = ["none", "x-weak", "weak", "medium", "strong", "x-strong"];

    /// <summary>Whether <paramref name="text"/> is SSML: it starts with <c>&lt;speak</c> (leading white space aside).</summary>
    public static bool IsSsml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().TrimStart().StartsWith("<speak", StringComparison.Ordinal);
    }

    /// <summary>Escapes a value put into SSML by a template, so caller data cannot open a tag.</summary>
    public static string Escape(string value) => SecurityElement.Escape(value) ?? string.Empty;

    /// <summary>Null when <paramref name="ssml"/> is well-formed and within the subset; otherwise what to fix.</summary>
    public static string? Check(string ssml)
    {
        ArgumentNullException.ThrowIfNull(ssml);
        try
        {
            var root = XElement.Parse(ssml, LoadOptions.SetLineInfo);
            return Check(root, isRoot: true);
        }
        catch (XmlException ex)
        {
            return $"SSML is not well-formed XML: {ex.Message} (write & as &amp; and < as &lt; in text)";
        }
    }

    /// <summary>The SSML espeak-ng reads with <c>-m</c>: the subset with say-as digits, telephone and date spelled out.</summary>
    /// <exception cref="SpeechSynthesisException">The text is not valid SSML of the subset.</exception>
    public static string ToEspeak(string ssml)
    {
        ArgumentNullException.ThrowIfNull(ssml);
        if (Check(ssml) is { } problem)
        {
            throw new SpeechSynthesisException(problem);
        }

        var output = new StringBuilder();
        Write(XElement.Parse(ssml), output);
        return output.ToString();
    }

    private static string? Check(XElement element, bool isRoot)
    {
        var name = element.Name.LocalName;
        if (isRoot != (name == "speak"))
        {
            return isRoot ? "SSML must be one <speak> element" : "<speak> may only enclose the whole text";
        }

        if (!Elements.Contains(name))
        {
            return $"SSML element <{name}> is not supported; use {string.Join(", ", Elements.Select(e => $"<{e}>"))}";
        }

        var problem = name switch
        {
            "break" => CheckBreak(element),
            "say-as" => CheckSayAs(element),
            "prosody" => CheckProsody(element),
            _ => null,
        };
        return problem ?? element.Elements().Select(e => Check(e, isRoot: false)).FirstOrDefault(p => p is not null);
    }

    private static string? CheckBreak(XElement element)
    {
        if (element.Attribute("time") is { } time && BreakTime(time.Value) is null)
        {
            return $"<break time=\"{time.Value}\">: expected a time such as 500ms or 1.5s (at most 10s)";
        }

        if (element.Attribute("strength") is { } strength && !Strengths.Contains(strength.Value))
        {
            return $"<break strength=\"{strength.Value}\">: expected one of {string.Join(", ", Strengths)}";
        }

        return element.Nodes().Any() ? "<break> is empty: write <break time=\"500ms\"/>" : null;
    }

    private static string? CheckSayAs(XElement element)
    {
        var kind = element.Attribute("interpret-as")?.Value;
        if (kind is null || !InterpretAs.Contains(kind))
        {
            return $"<say-as interpret-as=\"{kind}\">: expected one of {string.Join(", ", InterpretAs)}";
        }

        if (kind == "date" && element.Attribute("format")?.Value is { } format && !SsmlSayAs.DateFormats.Contains(format))
        {
            return $"<say-as interpret-as=\"date\" format=\"{format}\">: expected one of {string.Join(", ", SsmlSayAs.DateFormats)}";
        }

        return element.HasElements ? "<say-as> holds text only" : null;
    }

    private static string? CheckProsody(XElement element)
    {
        foreach (var attribute in element.Attributes().Where(a => a.Name.LocalName != "rate"))
        {
            return $"<prosody {attribute.Name.LocalName}>: only rate is supported";
        }

        var rate = element.Attribute("rate")?.Value;
        return rate is not null && !Rates.Contains(rate) && Percent(rate) is null
            ? $"<prosody rate=\"{rate}\">: expected {string.Join(", ", Rates)} or a percentage such as 80%"
            : null;
    }

    private static void Write(XNode node, StringBuilder output)
    {
        if (node is XText text)
        {
            output.Append(Escape(text.Value));
            return;
        }

        if (node is not XElement element)
        {
            return;
        }

        var name = element.Name.LocalName;
        switch (name)
        {
            case "break":
                output.Append("<break");
                if (element.Attribute("time") is { } time)
                {
                    output.Append(CultureInfo.InvariantCulture, $" time=\"{BreakTime(time.Value)!.Value.TotalMilliseconds:0}ms\"");
                }

                if (element.Attribute("strength") is { } strength)
                {
                    output.Append(CultureInfo.InvariantCulture, $" strength=\"{strength.Value}\"");
                }

                output.Append("/>");
                return;
            case "say-as" when element.Attribute("interpret-as")!.Value is "characters":
                output.Append("<say-as interpret-as=\"characters\">").Append(Escape(element.Value)).Append("</say-as>");
                return;
            case "say-as":
                output.Append(Escape(SsmlSayAs.Spell(element.Attribute("interpret-as")!.Value, element.Value, element.Attribute("format")?.Value)));
                return;
            case "prosody" when element.Attribute("rate") is { } rate:
                output.Append(CultureInfo.InvariantCulture, $"<prosody rate=\"{rate.Value}\">");
                break;
            default:
                output.Append('<').Append(name).Append('>');
                break;
        }

        foreach (var child in element.Nodes())
        {
            Write(child, output);
        }

        output.Append("</").Append(name).Append('>');
    }

    private static TimeSpan? BreakTime(string text)
    {
        var seconds = text.EndsWith("ms", StringComparison.Ordinal) ? Number(text[..^2]) / 1000
            : text.EndsWith('s') ? Number(text[..^1])
            : null;
        return seconds is >= 0 and <= 10 ? TimeSpan.FromSeconds(seconds.Value) : null;
    }

    private static double? Percent(string text) => text.EndsWith('%') && Number(text[..^1]) is > 0 and <= 400 ? Number(text[..^1]) : null;

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
}
