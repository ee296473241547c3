#!/usr/bin/env bash
# Runs the two images Jib wrote (jib:buildTar) without a container engine, the way Kubernetes runs
# them: each image's layers unpacked in order into a root filesystem that is then mounted
# read-only, a tmpfs on /tmp (the Deployments' emptyDir), the image's own user, environment, working
# directory and entry point, in a private mount namespace. The server starts on its
# embedded PostgreSQL (under /tmp), must become ready and answer the API; the replay image then
# verifies that server's ledger. Also checks the image metadata the manifests rely on.
#
# Usage: k8s/images/smoke-test.sh [SERVER_IMAGE_TAR] [REPLAY_IMAGE_TAR]   (root, jq and curl required)
set -euo pipefail

server_tar=${1:-command-api/target/jib-image.tar}
replay_tar=${2:-replay-tools/target/jib-image.tar}
port=${SMOKE_HTTP_PORT:-18080}
db_port=${SMOKE_DB_PORT:-15433}
admin_key=smoke-admin-key-0123456789abcdef
expected_user=10001:10001

if [[ $(id -u) -ne 0 ]]; then
    echo "smoke-test: unpacking images and chroot need root" >&2
    exit 2
fi
for tool in jq curl unshare chroot; do
    command -v "$tool" >/dev/null || { echo "smoke-test: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d)
server_pid=

# stop_server: SIGTERM to the JVM, SIGKILL if it has not ended within 60 s; sets $stopped to its exit status.
stop_server() {
    stopped=0
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 120); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.5
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" || stopped=$?
    server_pid=
}

cleanup() {
    [[ -z $server_pid ]] || stop_server
    # Anything still running inside an unpacked image (an embedded PostgreSQL whose JVM died abruptly).
    local proc
    for proc in /proc/[0-9]*; do
        if [[ $(readlink "$proc/root" 2>/dev/null) == "$work"/* ]]; then
            kill -KILL "${proc#/proc/}" 2>/dev/null || true
        fi
    done
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT

fail() {
    echo "smoke-test: FAILED: $*" >&2
    if [[ -f $work/server.log ]]; then
        echo "smoke-test: the server's log ends:" >&2
        tail -60 "$work/server.log" >&2
    fi
    exit 1
}

# unpack TAR NAME: the image's files under $work/NAME/image, its root filesystem under $work/NAME/root.
unpack() {
    local tar=$1 name=$2 layer
    mkdir -p "$work/$name/image" "$work/$name/root"
    tar -xf "$tar" -C "$work/$name/image"
    for layer in $(jq -r '.[0].Layers[]' "$work/$name/image/manifest.json"); do
        tar -xzf "$work/$name/image/$layer" -C "$work/$name/root" --numeric-owner --warning=no-unknown-keyword
    done
}

config() {
    jq -r "$2" "$work/$1/image/$(jq -r '.[0].Config' "$work/$1/image/manifest.json")"
}

# run NAME [VAR=VALUE...] [-- ARG...]: the image's entry point with its environment plus the given
# variables, and the given arguments, in a new mount namespace, on a read-only root with a
# tmpfs /tmp.
run() {
    local name=$1
    shift
    local root=$work/$name/root user workdir
    user=$(config "$name" '.config.User')
    workdir=$(config "$name" '.config.WorkingDir // "/"')
    local -a env entrypoint extra_env=() args=()
    mapfile -t env < <(config "$name" '.config.Env[]')
    mapfile -t entrypoint < <(config "$name" '.config.Entrypoint[]')
    while (($#)) && [[ $1 != -- ]]; do
        extra_env+=("$1")
        shift
    done
    if (($#)); then
        shift
        args=("$@")
    fi
    # No PID namespace, and exec all the way down, so that the caller's $! is the JVM itself.
    ${RUN_EXEC:+exec} unshare --mount bash -c '
        set -e
        root=$1; user=$2; shift 2
        mount --bind "$root" "$root"
        mount -o remount,bind,ro "$root"
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
        exec chroot --userspec="$user" "$root" /usr/bin/env -i "$@"
    ' run "$root" "$user" "${env[@]}" "${extra_env[@]}" \
        /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${entrypoint[@]}" "${args[@]}"
}

echo "smoke-test: unpacking $server_tar and $replay_tar"
unpack "$server_tar" server
unpack "$replay_tar" replay

for name in server replay; do
    [[ $(config $name '.config.User') == "$expected_user" ]] || fail "$name image user is not $expected_user"
done
[[ $(config server '.config.ExposedPorts | keys | join(",")') == "8080/tcp" ]] || fail "server image does not expose 8080"
[[ $(config server '.config.Entrypoint | last') == "dev.tally.server.TallyServer" ]] || fail "server entry point"
[[ $(config replay '.config.Entrypoint | last') == "dev.tally.replay.ReplayTools" ]] || fail "replay entry point"

if curl -s -o /dev/null "http://127.0.0.1:$port/" || (exec 3<>"/dev/tcp/127.0.0.1/$db_port") 2>/dev/null; then
    echo "smoke-test: port $port or $db_port is already in use (SMOKE_HTTP_PORT, SMOKE_DB_PORT move them)" >&2
    exit 2
fi
echo "smoke-test: starting the server image (embedded PostgreSQL under /tmp, port $port)"
RUN_EXEC=1 run server SERVER_PORT="$port" TALLY_DATA_DIR=/tmp/tally TALLY_EMBEDDED_DB_PORT="$db_port" \
    TALLY_BOOTSTRAP_ADMIN_KEY="$admin_key" HOME=/home/tally > "$work/server.log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + 240))
until curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    if ! kill -0 "$server_pid" 2>/dev/null || ((SECONDS > deadline)); then
        fail "the server image did not become ready"
    fi
    sleep 2
done
echo "smoke-test: ready after ${SECONDS}s"

base=http://127.0.0.1:$port
# api METHOD PATH [BODY]: the answer's status; its body in $work/answer, its headers in $work/headers.
api() {
    curl -sS -X "$1" -o "$work/answer" -D "$work/headers" -w '%{http_code}' \
        -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' ${3:+-d "$3"} "$base$2"
}
expect() {
    local wanted=$1 what=$2 status=$3
    [[ $status == "$wanted" ]] || { cat "$work/answer" >&2; echo >&2; fail "$what answered $status, not $wanted"; }
}
expect 201 "creating a plan" "$(api POST /v1/plans '{"planId":"smoke","currency":"USD",
    "effectiveFrom":"2026-01-01T00:00:00Z","prices":[{"meter":"calls","model":"per_unit","unitPrice":"0.25"}]}')"
expect 201 "opening an account" "$(api POST /v1/accounts \
    '{"accountId":"smoke-1","name":"Smoke","currency":"USD","planId":"smoke","billingAnchorDay":1}')"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
expect 200 "recording usage" "$(api POST /v1/usage "{\"events\":[{\"idempotencyKey\":\"u1\",
    \"accountId\":\"smoke-1\",\"meter\":\"calls\",\"quantity\":\"4\",\"timestamp\":\"$now\"}]}")"
jq -e '.results[0].status == "accepted"' "$work/answer" >/dev/null || { cat "$work/answer" >&2; fail "usage not accepted"; }
position=$(tr -d '\r' < "$work/headers" | awk -F': ' 'tolower($1) == "ledger-position" { print $2 }')
expect 200 "reading the balance" "$(api GET "/v1/accounts/smoke-1/balance?minPosition=$position")"
unbilled=$(jq -r '.unbilled' "$work/answer")
[[ $unbilled == 1.00 ]] || { cat "$work/answer" >&2; fail "unbilled is $unbilled, not 1.00"; }
echo "smoke-test: the server image answered the API (4 calls at 0.25: unbilled $unbilled at position $position)"

echo "smoke-test: the replay image verifies the server's ledger"
run replay HOME=/home/tally -- verify --db-url "jdbc:postgresql://127.0.0.1:$db_port/tally" --db-user postgres \
    > "$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; fail "tally-replay verify in the image failed"; }
tail -3 "$work/verify.log"

stop_server
((stopped == 0 || stopped == 143)) || { tail -20 "$work/server.log" >&2; fail "the server exited $stopped on SIGTERM"; }
echo "smoke-test: passed (the server stopped cleanly on SIGTERM)"
