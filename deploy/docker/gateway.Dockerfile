# The SIP gateway as a container image. NOT built or run on the project's machines (no Docker there): written to the
# same layout as scripts/publish.sh and deploy/systemd, which are tested. Build from the repository root after
# `bash scripts/fetch-vad-model.sh` (the model is not downloaded inside the build):
#   docker build -f deploy/docker/gateway.Dockerfile -t stepaudio/sip-gateway .
#   docker run --network host -e Sip__PublicAddress=203.0.113.10 -v gw-outbox:/var/lib/stepaudio stepaudio/sip-gateway
# Host networking: SIP plus an RTP port range do not map well through Docker's NAT.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN test -f models/silero_vad_v5.onnx || { echo "run scripts/fetch-vad-model.sh before docker build" >&2; exit 1; } \
 && dotnet publish src/SipGateway -c Release -r linux-x64 --self-contained true -p:DebugType=none -o /out \
 && mkdir -p /out/config && cp -r config/flows /out/config/

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
# espeak-ng speaks prompts, sox converts WAV prompts.
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng sox && rm -rf /var/lib/apt/lists/*
COPY --from=build /out /opt/stepaudio/sip-gateway
ENV Publishing__Outbox__Directory=/var/lib/stepaudio/outbox \
    Logging__Console__FormatterName=json \
    Logging__Console__FormatterOptions__TimestampFormat=yyyy-MM-ddTHH:mm:ss.fffZ \
    Health__ListenAddress=* \
    MASSTRANSIT_USAGE_TELEMETRY=false
VOLUME /var/lib/stepaudio
WORKDIR /var/lib/stepaudio
USER 10001
EXPOSE 5060/udp 5060/tcp 9464/tcp 9465/tcp
# SIGTERM drains (503 to new calls, calls finish up to Drain:Timeout): give `docker stop -t 90`.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/9465 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["/opt/stepaudio/sip-gateway/StepAudio.Telephony.SipGateway"]
