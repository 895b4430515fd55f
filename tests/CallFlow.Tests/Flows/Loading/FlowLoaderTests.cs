using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

public sealed class FlowLoaderTests
{
    [Fact]
    public void Loads_every_verb_and_handler_into_the_definition()
    {
        var result = FlowLoader.LoadText(TestFlows.Support, "support.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var flow = result.Flow!;
        Assert.Equal("support", flow.Name);
        Assert.Equal("welcome", flow.Start);
        Assert.Equal("en-us", flow.Voice);
        Assert.Equal("support.yaml", flow.File);
        Assert.Equal(12, flow.Version.Length);
        Assert.Equal("Example Telecom", flow.Variables["company"]!.GetValue<string>());
        Assert.Equal(new FrustrationHandler(0.7, TimeSpan.FromSeconds(3), "agent", true, new SourceLocation("support.yaml", 9, 19)), flow.Handlers.OnFrustration);
        Assert.Equal(TimeSpan.FromSeconds(20), flow.Handlers.OnSilence!.After);
        Assert.Equal("sorry", flow.Handlers.OnError!.Goto);

        var welcome = Assert.IsType<SayStep>(flow.Steps["welcome"]);
        Assert.Equal("menu", welcome.Next);
        Assert.Equal(new SourceLocation("support.yaml", 13, 3), welcome.Location);
        Assert.False(welcome.Text.IsLiteral);

        var menu = Assert.IsType<GatherStep>(flow.Steps["menu"]);
        Assert.Equal(GatherInput.Dtmf | GatherInput.Speech, menu.Input);
        Assert.Equal(TimeSpan.FromSeconds(90), menu.InterDigitTimeout);
        Assert.Equal('*', menu.FinishOnKey);
        Assert.Equal(2, menu.Retries);
        Assert.Equal("still_there", menu.NoInput);

        var route = Assert.IsType<BranchStep>(flow.Steps["route"]);
        Assert.Equal(["billing", "lookup"], route.Cases.Select(c => c.Goto));
        Assert.Equal("menu", route.Else);

        var billing = Assert.IsType<PlayStep>(flow.Steps["billing"]);
        Assert.Equal(("billing.wav", 2, PromptInterruption.None), (billing.File, billing.Loop, billing.Interruptible));

        var lookup = Assert.IsType<WebhookStep>(flow.Steps["lookup"]);
        Assert.Equal("GET", lookup.Method);
        Assert.Equal("customer", lookup.As);
        Assert.Equal(1, lookup.Retries);
        Assert.Equal(TimeSpan.FromSeconds(2), lookup.Timeout);
        Assert.Equal("secret", lookup.Headers["X-Api-Key"].Source);
        Assert.Equal("technical", lookup.Body!["reason"].Literal!.GetValue<string>());
        Assert.NotNull(lookup.Body["count"].Template);

        var set = Assert.IsType<SetStep>(flow.Steps["remember"]);
        Assert.Equal(["attempts", "tier"], set.Values.Keys.Order());

        var record = Assert.IsType<RecordStep>(flow.Steps["message"]);
        Assert.Equal((TimeSpan.FromMinutes(2), false, "voicemail"), (record.MaxLength, record.Beep, record.As));

        var agent = Assert.IsType<TransferStep>(flow.Steps["agent"]);
        Assert.Equal((TransferMode.Bridge, "sip:agent@pbx.example.com", "sorry"), (agent.Mode, agent.To.Source, agent.OnFailure));
        Assert.Null(agent.Next);

        var sorry = Assert.IsType<SayStep>(flow.Steps["sorry"]);
        Assert.Equal("en-gb", sorry.Voice);
        Assert.Equal("done", Assert.IsType<HangupStep>(flow.Steps["bye"]).Reason);
    }

    [Fact]
    public void Version_is_the_first_12_hex_digits_of_the_sha256_of_the_text()
    {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad (FIPS 180-2 test vector).
        Assert.Equal("ba7816bf8f01", FlowLoader.Version("abc"));
    }

    [Fact]
    public void Defaults_apply_when_fields_are_left_out()
    {
        var result = FlowLoader.LoadText("""
            flow: d
            start: g
            steps:
              g:
                gather: {}
                next: t
              t:
                transfer: tel:+15550100
            """, "d.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var gather = Assert.IsType<GatherStep>(result.Flow!.Steps["g"]);
        Assert.Equal((GatherInput.Dtmf, 1, 1, '#', 1, PromptInterruption.Any), (gather.Input, gather.MaxDigits, gather.MinDigits, gather.FinishOnKey, gather.Retries, gather.Interruptible));
        Assert.Equal(TimeSpan.FromSeconds(5), gather.Timeout);
        var transfer = Assert.IsType<TransferStep>(result.Flow.Steps["t"]);
        Assert.Equal((TransferMode.Refer, TimeSpan.FromSeconds(30)), (transfer.Mode, transfer.Timeout));
    }

    [Fact]
    public void LoadFile_reports_a_missing_file_as_an_error()
    {
        var result = FlowLoader.LoadFile(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml"));

        var error = Assert.Single(result.Errors);
        Assert.Contains("cannot read", error.Message, StringComparison.Ordinal);
    }
}
