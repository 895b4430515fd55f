# The analytics service as a container image. NOT built or run on the project's machines (no Docker there).
#   docker build -f deploy/docker/analytics.Dockerfile -t stepaudio/analytics .
#   docker run -p 5080:5080 -e RabbitMq__Host=broker stepaudio/analytics
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Analytics/Service -c Release -r linux-x64 --self-contained true -p:DebugType=none -o /out

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
COPY --from=build /out /opt/stepaudio/analytics-service
ENV Analytics__Http__Urls=http://0.0.0.0:5080 \
    Logging__Console__FormatterName=json \
    Logging__Console__FormatterOptions__TimestampFormat=yyyy-MM-ddTHH:mm:ss.fffZ \
    MASSTRANSIT_USAGE_TELEMETRY=false
USER 10001
EXPOSE 5080/tcp
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/5080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["/opt/stepaudio/analytics-service/StepAudio.Telephony.Analytics.Service"]
