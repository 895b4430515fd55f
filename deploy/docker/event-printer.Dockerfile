# The event printer (prints every call event from RabbitMQ as a line). NOT built or run on the project's machines.
#   docker build -f deploy/docker/event-printer.Dockerfile -t stepaudio/event-printer .
#   docker run --rm -e RabbitMq__Host=broker stepaudio/event-printer --queue my-printer --transient
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Analytics/Consumer -c Release -r linux-x64 --self-contained true -p:DebugType=none -o /out

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
COPY --from=build /out /opt/stepaudio/event-printer
ENV MASSTRANSIT_USAGE_TELEMETRY=false
USER 10001
ENTRYPOINT ["/opt/stepaudio/event-printer/StepAudio.Telephony.Analytics.Consumer"]
