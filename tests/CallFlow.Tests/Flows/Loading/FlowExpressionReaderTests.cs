using StepAudio.Telephony.CallFlow.Flows.Loading;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>Conditions, templates and values read on their own, with mistakes placed at their column in the file.</summary>
public sealed class FlowExpressionReaderTests
{
    private readonly FlowErrorCollector _errors = new("f.yaml");

    private static YamlScalarNode Scalar(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlScalarNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("x")];
    }

    [Fact]
    public void A_valid_condition_is_read_without_errors()
    {
        var condition = new FlowExpressionReader(_errors).Expression(Scalar("x: digits == \"1\"\n"), "x");

        Assert.NotNull(condition);
        Assert.Equal("digits == \"1\"", condition.Source);
        Assert.Empty(_errors.Errors);
    }

    [Theory]
    // The value starts at column 4; inside quotes it starts one further. "digits == (1" fails at its end (offset 12).
    [InlineData("x: digits == (1\n", 16)]
    [InlineData("x: \"digits == (1\"\n", 17)]
    [InlineData("x: 'digits == (1'\n", 17)]
    public void A_condition_that_does_not_parse_is_reported_at_its_own_column(string yaml, int column)
    {
        var condition = new FlowExpressionReader(_errors).Expression(Scalar(yaml), "x");

        Assert.Null(condition);
        var error = Assert.Single(_errors.Errors);
        Assert.Equal(("f.yaml", 1, column, "x"), (error.File, error.Line, error.Column, error.Field));
        Assert.StartsWith("condition does not parse: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_scalar_reports_at_its_own_start_because_columns_inside_it_are_not_known()
    {
        var scalar = Scalar("x: |\n  digits == (1\n");

        Assert.Null(new FlowExpressionReader(_errors).Expression(scalar, "x"));
        var error = Assert.Single(_errors.Errors);
        Assert.Equal((scalar.Start.Line, scalar.Start.Column), (error.Line, error.Column));
    }

    [Fact]
    public void A_template_mistake_is_reported_inside_its_expression()
    {
        // "Hi {{ nosuch.x }}": the expression starts at offset 6 of the value, column 4 + 1 (quote) + 6.
        var scalar = Scalar("x: \"Hi {{ nosuch.x }}\"\n");

        Assert.Null(new FlowExpressionReader(_errors).Template(scalar, scalar.Value!, "x"));
        var error = Assert.Single(_errors.Errors);
        Assert.Equal((1, 11), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("x: 42\n", false)]
    [InlineData("x: plain text\n", false)]
    [InlineData("x: \"{{ caller }}\"\n", true)]
    public void A_value_is_a_template_only_when_it_holds_expressions(string yaml, bool isTemplate)
    {
        var value = new FlowExpressionReader(_errors).Value(Scalar(yaml), "x");

        Assert.NotNull(value);
        Assert.Equal(isTemplate, value.Template is not null);
        Assert.Empty(_errors.Errors);
    }

    [Fact]
    public void A_condition_that_is_not_a_scalar_is_described()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("x: [a]\n"));
        var list = ((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("x")];

        Assert.Null(new FlowExpressionReader(_errors).Expression(list, "x"));
        Assert.Equal("expected a condition such as digits == \"1\", got a list", Assert.Single(_errors.Errors).Message);
    }
}
