using CsCheck;
using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Validation;

/// <summary>Bad input never throws out of the loader, and every error points at a real position.</summary>
public sealed class FlowLoaderFuzzTests
{
    private static readonly string[] Fragments =
    [
        "flow:", "start:", "steps:", "handlers:", "variables:", "say:", "gather:", "branch:", "- if:", "goto:", "else:", "next:",
        "webhook:", "url:", "transfer:", "to:", "record:", "hangup:", "set:", "timeout:", "retries:", "max_digits:",
        "{{", "}}", "{", "}", "[", "]", ":", "-", "'", "\"", "&a", "*a", "!!str", "|", ">", "#", "---", "...", "\t",
        " ", "  ", "\n", "a", "b", "menu", "5s", "1m30s", "-1", "0.7", "true", "null", "~", "open(\"mon-fri 09:00-17:00\")",
        "digits == \"1\"", "vars.x", "total.sigh", "sip:a@b", "https://x", "((", "))", "==", "and", "not", "in",
    ];

    private static void AssertSane(string yaml)
    {
        var result = FlowLoader.LoadText(yaml, "fuzz.yaml");
        Assert.Equal(result.IsValid, result.Errors.Count == 0);
        Assert.All(result.Errors, e =>
        {
            Assert.True(e.Line >= 1 && e.Column >= 1, e.ToString());
            Assert.False(string.IsNullOrWhiteSpace(e.Message), e.ToString());
        });
    }

    [Fact]
    public void Random_fragment_soup_never_throws() =>
        Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]).Array[0, 60]
            .Select(parts => string.Concat(parts))
            .Sample(AssertSane, iter: 3000);

    [Fact]
    public void Mutated_valid_flows_never_throw() =>
        Gen.Select(Gen.Int[0, TestFlows.Support.Length], Gen.Int[0, 20], Gen.Int[0, Fragments.Length - 1])
            .Array[1, 6]
            .Select(edits =>
            {
                var text = TestFlows.Support;
                foreach (var (at, delete, fragment) in edits)
                {
                    var start = Math.Min(at, text.Length);
                    text = string.Concat(text.AsSpan(0, start), Fragments[fragment], text.AsSpan(Math.Min(text.Length, start + delete)));
                }

                return text;
            })
            .Sample(AssertSane, iter: 3000);

    [Fact]
    public void Arbitrary_strings_never_throw() => Gen.String.Sample(AssertSane, iter: 2000);

    [Fact]
    public void Deeply_nested_yaml_is_an_error_not_a_crash()
    {
        var yaml = "flow: x\nstart: a\nsteps: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var result = FlowLoader.LoadText(yaml, "deep.yaml");
        Assert.False(result.IsValid);
    }
}
