using StepAudio.Telephony.Cli.Train;

namespace StepAudio.Telephony.Cli.Tests.Train;

public sealed class TurnOrdersTests
{
    private static readonly string[] Labels = ["happy", "neutral", "sad", "angry", "happy", "neutral", "sad", "angry", "neutral", "sad"];

    [Fact]
    public void Order_zero_is_file_name_order()
    {
        Assert.Equal(Enumerable.Range(0, Labels.Length), TurnOrders.Order(Labels, "emodb-03", 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Every_order_is_a_permutation_and_the_same_on_every_run(int k)
    {
        var order = TurnOrders.Order(Labels, "emodb-03", k);

        Assert.Equal(Enumerable.Range(0, Labels.Length), order.Order());
        Assert.Equal(order, TurnOrders.Order(Labels, "emodb-03", k));
    }

    [Fact]
    public void The_kinds_cycle_shuffled_blocks_none()
    {
        Assert.Equal(
            [TurnOrderKind.Shuffled, TurnOrderKind.LabelBlocks, TurnOrderKind.NoBaseline, TurnOrderKind.Shuffled],
            Enumerable.Range(1, 4).Select(TurnOrders.KindOf));
    }

    [Fact]
    public void Label_blocks_keep_each_label_together_in_file_name_order()
    {
        var order = TurnOrders.Order(Labels, "emodb-03", 2);

        var labels = order.Select(i => Labels[i]).ToArray();
        var runs = labels.Where((label, i) => i == 0 || labels[i - 1] != label).ToArray();
        Assert.Equal(runs.Distinct().Count(), runs.Length); // each label is one contiguous run
        foreach (var label in Labels.Distinct())
        {
            var within = order.Where(i => Labels[i] == label).ToArray();
            Assert.Equal(within.Order(), within);
        }
    }

    [Fact]
    public void Speakers_get_their_own_shuffles()
    {
        var orders = new[] { "emodb-03", "emodb-08", "coswara-a", "coswara-b" }.Select(s => string.Join(',', TurnOrders.Order(Labels, s, 1))).ToArray();

        Assert.True(orders.Distinct().Count() > 1);
    }
}
