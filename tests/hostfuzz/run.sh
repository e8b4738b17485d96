#!/usr/bin/env bash
# Host fuzzing of the servers (make fuzz-host; make test with a short budget):
# usage: run.sh HOSTFUZZ_DIR SECONDS
# For each server: its kept inputs (tests/hostfuzz/corpus/SERVER: crashes
# found once, and seeds) replayed, then SECONDS of fuzzing from them. Ends
# with "hostfuzz: N passed, N failed"; a crash or sanitizer report fails, and
# its input is left in HOSTFUZZ_DIR/crashes/SERVER (keep it in the corpus
# once fixed, and check that it fails without the fix: the inputs are in
# input.c's format, and a change to it changes what they ask).
set -uo pipefail
dir=$1 seconds=$2
here=$(dirname "$0")
passed=0 failed=0
export UBSAN_OPTIONS=print_stacktrace=1

result() {      # name status log
	if [ "$2" -eq 0 ]; then
		echo "ok $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1 (the whole report: $3)"
		grep -E 'ERROR|runtime error|hostfuzz:|SUMMARY|Test unit written' "$3" | head -20
		failed=$((failed + 1))
	fi
}

for fuzzer in "$dir"/fuzz-*; do
	[ -x "$fuzzer" ] || { result "hostfuzz: no fuzzers in $dir" 1 /dev/null; continue; }
	server=${fuzzer##*/fuzz-}
	kept=$here/corpus/$server work=$dir/corpus/$server crashes=$dir/crashes/$server/
	replay_log=$dir/$server-replay.log log=$dir/$server.log
	mkdir -p "$kept" "$work" "$crashes"
	files=("$kept"/*)
	if [ -e "${files[0]}" ]; then
		"$fuzzer" -artifact_prefix="$crashes" "${files[@]}" > "$replay_log" 2>&1
		result "hostfuzz $server: ${#files[@]} kept inputs replayed" $? "$replay_log"
	fi
	"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
		-artifact_prefix="$crashes" -print_final_stats=1 "$work" "$kept" > "$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	requests=$(sed -n 's/^hostfuzz: \([0-9]*\) requests$/\1/p' "$log")
	result "hostfuzz $server: ${runs:-0} inputs, ${requests:-0} requests in ${seconds}s" \
		$status "$log"
done
echo "hostfuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
