# Shell helpers shared by the scripts that start their own gateway (load-test.sh, protos.sh). Source it; it defines
# functions only. Callers define log() (one line to stderr).

free_port() { # first TCP port from $1 up with nothing listening on 127.0.0.1 (good enough for a UDP pick here)
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Waits until the gateway started as PID logs the UDP port it bound (it runs with --Sip:Port=0, so the port is only
# known from its log), then prints that port. Exits the script when the gateway dies or the deadline passes first.
wait_for_sip_port() { # log-file pid seconds
  local log_file=$1 pid=$2 deadline=$((SECONDS + $3))
  until grep -q "SIP listening on udp/" "$log_file" 2>/dev/null; do
    if ((SECONDS >= deadline)) || ! kill -0 "$pid" 2>/dev/null; then
      log "gateway did not start"; tail -n 20 "$log_file" >&2; exit 1
    fi
    sleep 0.2
  done
  grep -o "SIP listening on udp/[0-9.]*:[0-9]*" "$log_file" | head -n 1 | sed 's/.*://'
}
