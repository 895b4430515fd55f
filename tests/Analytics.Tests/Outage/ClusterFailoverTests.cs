using System.Globalization;
using System.Security.Cryptography;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;
using Xunit.Abstractions;

namespace StepAudio.Telephony.Analytics.Tests.Outage;

/// <summary>
/// A three-node RabbitMQ cluster of the test's own on loopback (each node its own ports and data, the cluster its own
/// Erlang cookie). The publisher lists all three nodes (RabbitMq:Nodes) and is connected to the first; that node is
/// halted mid-stream. The publisher fails over to another node, the consumer's quorum queue keeps its events on the
/// surviving majority, and every event arrives exactly once after de-duplication, in order per call.
/// </summary>
[Collection(PrivateBrokerTestGroup.Name)]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private const int Calls = 10;
    private const int EventsPerCall = 40;
    private static readonly TimeSpan PublishRoundInterval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Events_published_while_the_connected_node_of_a_cluster_halts_all_arrive_once_in_order_per_call()
    {
        var cookie = RandomNumberGenerator.GetHexString(32);
        await using var first = await PrivateRabbitMqNode.StartAsync(cookie);
        await using var second = await PrivateRabbitMqNode.StartAsync(cookie);
        await using var third = await PrivateRabbitMqNode.StartAsync(cookie);
        await second.JoinClusterAsync(first);
        await third.JoinClusterAsync(first);
        var status = await first.QueryAsync("cluster_status");
        Assert.Contains(third.NodeName, status, StringComparison.Ordinal);

        string[] nodes = [.. new[] { first, second, third }.Select(n => "127.0.0.1:" + n.Port.ToString(CultureInfo.InvariantCulture))];
        // The consumer prefers the second node, the publisher the first (the one that will halt).
        await using var recorder = await DurableEventRecorder.StartAsync(second.Port, "cluster-consumer", [nodes[1], nodes[2], nodes[0]]);
        await using var host = new PublisherHost(first.Port, clusterNodes: nodes);
        await host.StartAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var calls = Enumerable.Range(0, Calls)
            .Select(i => CallEvents.OneCall($"call-cluster-{run}-{i:D2}", speechSegments: EventsPerCall - 2))
            .ToList();
        var sent = calls.SelectMany(c => c).ToList();

        var publishing = RoundRobinPublishing.PublishAsync(host, calls, EventsPerCall, PublishRoundInterval);
        await Eventually.TrueAsync(() => recorder.DistinctEvents >= Calls * 5, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
        var connections = await first.QueryAsync("list_connections", "port");
        Assert.Contains(first.Port.ToString(CultureInfo.InvariantCulture), connections, StringComparison.Ordinal);

        await first.StopNodeAsync(); // mid-stream: events are queued before, during and after the fail-over
        await publishing;

        await Eventually.TrueAsync(() => host.QueueDepth == 0, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(50));
        await Eventually.TrueAsync(() => recorder.DistinctEvents >= sent.Count, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));

        var deliveries = recorder.Deliveries;
        var firstDeliveries = deliveries.DistinctBy(e => e.EventId).ToList();
        Assert.Equal(sent.Select(e => e.EventId).Order(), firstDeliveries.Select(e => e.EventId).Order());
        foreach (var call in calls)
        {
            Assert.Equal(call.Select(e => e.Sequence), firstDeliveries.Where(e => e.CallId == call[0].CallId).Select(e => e.Sequence));
        }

        Assert.Equal(0L, host.OutboxHeldBytes);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sent.Count} events sent, {deliveries.Count} deliveries, {deliveries.Count - firstDeliveries.Count} duplicates dropped by EventId"));
    }
}
