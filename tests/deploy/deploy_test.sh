#!/usr/bin/env bash
# The files of deploy/ as an admin uses them (issue 19), run by CTest as deploy_test:
#   1. deploy/mgadvisor.service passes `systemd-analyze verify` with nothing to say, and
#      `systemd-analyze security` rates it at most 2.5 (of 10); skipped without systemd-analyze.
#   2. deploy/nginx-mgadvisor.conf passes `nginx -t` with a throw-away self-signed certificate,
#      then proxies real HTTPS requests to a running mgadvisor over loopback: health, a plan (a
#      POST with a same-origin Origin header), and /metrics kept from the public side.
#   3. docs/mgadvisor.1 formats without a warning.
# Usage: tests/deploy/deploy_test.sh path/to/mgadvisor
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "$1")
WORK=$(mktemp -d -t mg-deploy-test.XXXXXX)
SERVER_PID="" NGINX_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "deploy_test: FAIL: $*" >&2; exit 1; }
say() { echo "deploy_test: $*"; }

# --- 1. The systemd unit. ----------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
  # verify wants the program to exist; the unit names the installed path.
  sed "s|/usr/bin/mgadvisor|$BIN|" deploy/mgadvisor.service >"$WORK/mgadvisor.service"
  # Documentation=man:mgadvisor(1) is checked with man(1): let it find our page.
  mkdir -p "$WORK/man/man1" && cp docs/mgadvisor.1 "$WORK/man/man1/"
  out=$(MANPATH="$WORK/man" systemd-analyze verify "$WORK/mgadvisor.service" 2>&1) ||
    fail "systemd-analyze verify: $out"
  # verify exits 0 on an unknown key (a misspelt hardening option would be silently ignored).
  [ -z "$out" ] || fail "systemd-analyze verify said: $out"
  security=$(systemd-analyze security --offline=true --threshold=25 "$WORK/mgadvisor.service" 2>&1) ||
    fail "systemd-analyze security rates the unit above 2.5: $(tail -1 <<<"$security")"
  say "unit verified; $(grep -o 'Overall exposure level.*' <<<"$security")"
  # The test can fail: a misspelt option is caught.
  sed 's/^ProtectSystem=/ProtectSystm=/' "$WORK/mgadvisor.service" >"$WORK/bad.service"
  bad=$(MANPATH="$WORK/man" systemd-analyze verify "$WORK/bad.service" 2>&1 || true)
  [ -n "$bad" ] || fail "a misspelt option went unnoticed"
else
  say "SKIP unit: systemd-analyze not installed"
fi

# --- 3. The man page. --------------------------------------------------------------------------
if command -v groff >/dev/null; then
  warnings=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 docs/mgadvisor.1 2>&1)
  [ -z "$warnings" ] || fail "man page: $warnings"
fi

# --- 2. nginx in front of a running mgadvisor. ------------------------------------------------
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || fail "nginx is not installed (scripts/install-deps.sh installs nginx-light)"
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
mkdir -p "$WORK/xdg" "$WORK/nginx/logs"
XDG_DATA_HOME="$WORK/xdg" "$BIN" serve --port 0 --json --metrics --behind-tls \
  >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 600); do
  grep -q '"port"' "$WORK/serve.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "mgadvisor serve exited: $(cat "$WORK/serve.err")"
  sleep 0.1
done
MG_PORT=$(sed -n 's/.*"port": *\([0-9][0-9]*\).*/\1/p' "$WORK/serve.out")
[ -n "$MG_PORT" ] || fail "mgadvisor printed no port"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$WORK/nginx/key.pem" -out "$WORK/nginx/cert.pem" 2>/dev/null ||
  fail "openssl could not make a certificate"
HTTPS_PORT=$(free_port)
HTTP_PORT=$(free_port)
# The example as shipped, with only what a test must change: ports, certificate, upstream port.
sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
    -e '/listen \[::\]/d' \
    -e "s|/etc/ssl/certs/mgadvisor.example.org.pem|$WORK/nginx/cert.pem|" \
    -e "s|/etc/ssl/private/mgadvisor.example.org.key|$WORK/nginx/key.pem|" \
    -e "s|server 127.0.0.1:8425;|server 127.0.0.1:$MG_PORT;|" \
    deploy/nginx-mgadvisor.conf >"$WORK/nginx/site.conf"
grep -q "127.0.0.1:$MG_PORT" "$WORK/nginx/site.conf" || fail "the upstream line changed shape"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
daemon off;
events { worker_connections 64; }
http {
  client_body_temp_path $WORK/nginx/client_body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  include $WORK/nginx/site.conf;
}
CONF
chmod -R a+rX "$WORK"  # nginx's workers may run as nobody.
out=$("$NGINX" -t -q -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" 2>&1) ||
  fail "nginx -t: $out"
say "nginx -t passed"
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
BASE="https://127.0.0.1:$HTTPS_PORT"
CURL=(curl -sS --cacert "$WORK/nginx/cert.pem" --max-time 20)
for _ in $(seq 100); do
  "${CURL[@]}" -o /dev/null "$BASE/api/health" 2>/dev/null && break
  kill -0 "$NGINX_PID" 2>/dev/null || fail "nginx exited: $(cat "$WORK/nginx/logs/error.log")"
  sleep 0.1
done

health=$("${CURL[@]}" -D "$WORK/headers" "$BASE/api/health?deep=1") || fail "no answer through nginx"
grep -q '"status": "ok"' <<<"$health" || fail "health through nginx: $health"
grep -q '"database": "ok"' <<<"$health" || fail "deep health through nginx: $health"
grep -qi '^strict-transport-security: max-age=' "$WORK/headers" || fail "no HSTS header"
grep -qi '^content-security-policy:' "$WORK/headers" || fail "mgadvisor's headers were lost"
# A browser's POST: Origin is this site; the Host nginx passes on must match it.
plan_status=$("${CURL[@]}" -o "$WORK/plan.json" -w '%{http_code}' -X POST \
  -H "Origin: $BASE" -H 'Content-Type: application/json' \
  --data '{"age": 67, "sex": "female", "complaints": ["leg cramps"]}' "$BASE/api/plan")
[ "$plan_status" = 200 ] || fail "POST /api/plan through nginx: $plan_status $(head -c 300 "$WORK/plan.json")"
redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/x")
[[ $redirect == "301 https://"* ]] || fail "HTTP is not redirected to HTTPS: $redirect"
metrics_status=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/metrics")
[ "$metrics_status" = 404 ] || fail "/metrics is reachable through the proxy: $metrics_status"
# ...while the app server itself answers it (the scraper's way in).
curl -sS --max-time 10 "http://127.0.0.1:$MG_PORT/metrics" | grep -q '^mgadvisor_http_requests_total{method="POST",route="/api/plan",status="200"} 1$' ||
  fail "the proxied plan request is not in mgadvisor's metrics"
say "nginx proxied health, a plan and a redirect over TLS; /metrics kept from the public side"
