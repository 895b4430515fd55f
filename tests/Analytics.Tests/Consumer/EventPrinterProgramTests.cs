using System.Diagnostics;
using System.Text.Json;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Tests.Consumer;

/// <summary>Runs the built event printer as its own process, the way an operator or script would.</summary>
[Collection(SharedBrokerTests.Name)]
public sealed class EventPrinterProgramTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static readonly string ConsumerDll =
        Path.Combine(AppContext.BaseDirectory, "StepAudio.Telephony.Analytics.Consumer.dll");

    [Fact]
    public async Task Prints_each_event_of_a_call_once_as_one_line_in_order_and_exits_0_after_CallEnded()
    {
        await RabbitMqBroker.RequireReachableAsync();
        Assert.True(File.Exists(ConsumerDll), $"consumer not built next to the tests: {ConsumerDll}");
        var queue = RabbitMqBroker.UniqueQueueName("printer");
        try
        {
            // Other suites publish on the same exchanges; the printer is told which call to follow.
            var callId = "call-printer-" + Guid.NewGuid().ToString("N");
            // The printer's own timeout counts from its start: a loaded machine spent 60 s starting it and the publisher.
            using var consumer = StartConsumer("--queue", queue, "--call-id", callId, "--exit-after-call-ended", "1", "--timeout", "240");
            var stderr = new List<string>();
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            consumer.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (stderr)
                {
                    stderr.Add(e.Data);
                }

                if (e.Data == "consumer ready")
                {
                    ready.TrySetResult();
                }
            };
            consumer.BeginErrorReadLine();
            var stdout = consumer.StandardOutput.ReadToEndAsync();

            await WaitOrFailAsync(ready.Task, TimeSpan.FromSeconds(60), "no 'consumer ready' on stderr", stderr);

            var stray = CallEvents.OneCall("call-stray-" + Guid.NewGuid().ToString("N"), speechSegments: 0);
            var sent = CallEvents.OneCall(callId, speechSegments: 1);
            await using (var publisher = new PublisherHost(RabbitMqBroker.Port, PublisherHost.BrokerUp))
            {
                await publisher.StartAsync();
                // The first event again, as a timed-out confirm or a lost ack re-sends it: printed once all the same.
                var redelivered = sent[0];
                foreach (var callEvent in stray.Concat(sent.Take(1)).Append(redelivered).Concat(sent.Skip(1)))
                {
                    Assert.True(publisher.Publisher.TryPublish(callEvent));
                }

                await WaitOrFailAsync(consumer.WaitForExitAsync(), TimeSpan.FromSeconds(300), "consumer did not exit", stderr);
            }

            Assert.Equal(0, consumer.ExitCode);
            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(sent.Count, lines.Length);
            for (var i = 0; i < sent.Count; i++)
            {
                var separator = lines[i].IndexOf(' ', StringComparison.Ordinal);
                Assert.Equal(sent[i].GetType().Name, lines[i][..separator]);
                var json = lines[i][(separator + 1)..];
                using (var document = JsonDocument.Parse(json))
                {
                    Assert.Equal(sent[i].EventId, document.RootElement.GetProperty("eventId").GetGuid());
                }

                var printed = (ICallEvent?)JsonSerializer.Deserialize(
                    json, sent[i].GetType(), WebJson);
                Assert.Equal(sent[i], printed);
            }
        }
        finally
        {
            await BrokerCleanup.DeleteQueueAsync(queue);
        }
    }

    [Fact]
    public async Task Exits_1_when_the_timeout_passes_before_enough_calls_ended()
    {
        await RabbitMqBroker.RequireReachableAsync();
        var queue = RabbitMqBroker.UniqueQueueName("printer-timeout");
        try
        {
            // Other suites (and other test runs on the machine) publish on the same exchanges: follow a call nobody makes.
            var callId = "call-never-" + Guid.NewGuid().ToString("N");
            using var consumer = StartConsumer("--queue", queue, "--call-id", callId, "--exit-after-call-ended", "1", "--timeout", "2");
            consumer.BeginErrorReadLine();
            var stdout = consumer.StandardOutput.ReadToEndAsync();

            await WaitOrFailAsync(consumer.WaitForExitAsync(), TimeSpan.FromSeconds(60), "consumer did not exit", []);

            Assert.Equal(1, consumer.ExitCode);
            Assert.Equal(string.Empty, await stdout);
        }
        finally
        {
            await BrokerCleanup.DeleteQueueAsync(queue);
        }
    }

    private static Process StartConsumer(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ConsumerDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["RabbitMq__Host"] = RabbitMqBroker.Host;
        info.Environment["RabbitMq__Port"] = RabbitMqBroker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static async Task WaitOrFailAsync(Task task, TimeSpan timeout, string what, List<string> stderr)
    {
        if (await Task.WhenAny(task, Task.Delay(timeout)) != task)
        {
            string log;
            lock (stderr)
            {
                log = string.Join(Environment.NewLine, stderr);
            }

            Assert.Fail($"{what} within {timeout}; consumer stderr:{Environment.NewLine}{log}");
        }

        await task;
    }
}
