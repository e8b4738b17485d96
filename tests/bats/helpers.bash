# Shared helpers for the in-OS tests: boot an ISO headless under a timeout,
# keep its serial log, and assert on it (showing the log when an assertion
# fails).

BUILD=${BUILD:-build}
ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# boot ISO LOG SECONDS: boot until the guest powers off; QEMU's exit status
# lands in $LOG.status (124 = timed out).
boot() {
	local iso=$1 log=$2 limit=$3 status=0
	timeout --kill-after=5 "$limit" "$ROOT/scripts/qemu.sh" "$ROOT/$BUILD/$iso" headless \
		> "$log" 2>&1 < /dev/null || status=$?
	echo "$status" > "$log.status"
}

# boot_until ISO LOG PATTERN SECONDS: for images that stay up: boot, wait for
# PATTERN in the log, then stop QEMU. $LOG.status is 0 if the pattern came.
boot_until() {
	local iso=$1 log=$2 pattern=$3 limit=$4
	timeout --kill-after=5 "$limit" "$ROOT/scripts/qemu.sh" "$ROOT/$BUILD/$iso" headless \
		> "$log" 2>&1 < /dev/null &
	local pid=$! i
	for ((i = 0; i < limit * 10; i++)); do
		grep -q -- "$pattern" "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q -- "$pattern" "$log"; then echo 0 > "$log.status"; else echo 1 > "$log.status"; fi
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

show_log() {
	echo "----- serial log ($1) -----"
	tr -d '\r' < "$1"
	echo "----- end of log -----"
}

# assert_log LOG REGEX: an extended regex must match a line of the log
assert_log() {
	if ! tr -d '\r' < "$1" | grep -Eq -- "$2"; then
		echo "expected a line matching: $2"
		show_log "$1"
		return 1
	fi
}

refute_log() {
	if tr -d '\r' < "$1" | grep -Eq -- "$2"; then
		echo "unexpected line matching: $2"
		show_log "$1"
		return 1
	fi
}

assert_status() {
	local got
	got=$(cat "$1.status")
	if [ "$got" != "$2" ]; then
		echo "QEMU exit status $got, expected $2"
		show_log "$1"
		return 1
	fi
}
