using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

public sealed class RtpPortAllocatorTests
{
    [Fact]
    public void Hands_out_distinct_even_ports_with_room_for_rtcp_and_reuses_released_ones()
    {
        int first = FindFreeEvenRange(pairs: 3);
        var allocator = CreateAllocator(first + 1, first + 6); // odd minimum: rounded up to first + 2

        Assert.Equal(2, allocator.Capacity);
        Assert.True(allocator.TryAllocate(out var a));
        Assert.True(allocator.TryAllocate(out var b));
        Assert.False(allocator.TryAllocate(out _));
        Assert.Equal([first + 2, first + 4], new[] { a.Port, b.Port }.Order());
        Assert.All(new[] { a, b }, l => Assert.Equal(0, l.Port % 2));
        Assert.Equal(2, allocator.Leased);

        a.Dispose();
        a.Dispose(); // idempotent
        Assert.Equal(1, allocator.Leased);
        Assert.True(allocator.TryAllocate(out var c));
        Assert.Equal(a.Port, c.Port);
        b.Dispose();
        c.Dispose();
    }

    [Fact]
    public void The_leased_socket_is_bound_and_receives()
    {
        int first = FindFreeEvenRange(pairs: 1);
        var allocator = CreateAllocator(first, first + 1);
        Assert.True(allocator.TryAllocate(out var lease));
        using (lease)
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            client.Send([1, 2, 3], new IPEndPoint(IPAddress.Loopback, lease.Port));
            var buffer = new byte[16];
            lease.Socket.ReceiveTimeout = 5000;
            Assert.Equal(3, lease.Socket.Receive(buffer));
        }
    }

    [Fact]
    public void Skips_a_port_another_socket_holds()
    {
        int first = FindFreeEvenRange(pairs: 2);
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, first));
        var allocator = CreateAllocator(first, first + 3);

        Assert.True(allocator.TryAllocate(out var lease));
        Assert.Equal(first + 2, lease.Port);
        Assert.False(allocator.TryAllocate(out _));
        lease.Dispose();
    }

    [Fact]
    public void Concurrent_allocations_never_share_a_port()
    {
        int first = FindFreeEvenRange(pairs: 16);
        var allocator = CreateAllocator(first, first + 31);
        var leases = new System.Collections.Concurrent.ConcurrentBag<RtpPortLease>();

        Parallel.For(0, 32, _ =>
        {
            if (allocator.TryAllocate(out var lease))
            {
                leases.Add(lease);
            }
        });

        Assert.Equal(16, leases.Count);
        Assert.Equal(16, leases.Select(l => l.Port).Distinct().Count());
        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        Assert.Equal(0, allocator.Leased);
    }

    [Theory]
    [InlineData(20001, 20001)]
    [InlineData(30000, 20000)]
    public void Rejects_a_range_without_a_port_pair(int min, int max)
    {
        Assert.Throws<ArgumentException>(() => CreateAllocator(min, max));
    }

    [Fact]
    public void Rejects_an_invalid_bind_address()
    {
        var options = Options.Create(new RtpOptions { BindAddress = "not-an-ip" });
        Assert.Throws<ArgumentException>(() => new RtpPortAllocator(options));
    }

    private static RtpPortAllocator CreateAllocator(int min, int max) =>
        new(Options.Create(new RtpOptions { PortMin = min, PortMax = max, BindAddress = "127.0.0.1" }));

    /// <summary>Finds an even port such that the next 2 × pairs ports can currently be bound on loopback.</summary>
    private static int FindFreeEvenRange(int pairs)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            int candidate;
            using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                candidate = ((IPEndPoint)probe.LocalEndPoint!).Port & ~1;
            }

            var held = new List<Socket>();
            try
            {
                for (var port = candidate; port < candidate + (2 * pairs); port++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    held.Add(socket);
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }

                return candidate;
            }
            catch (SocketException)
            {
                // Part of the range is taken; try another.
            }
            finally
            {
                held.ForEach(s => s.Dispose());
            }
        }

        throw new InvalidOperationException("No free UDP port range found on loopback.");
    }
}
