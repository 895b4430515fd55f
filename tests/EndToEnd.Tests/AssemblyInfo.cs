// The end-to-end suites share one RabbitMQ and start real processes: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
