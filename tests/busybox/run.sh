#!/usr/bin/env bash
# BusyBox's own testsuite, in Tessera and on the Linux host, compared.
# One initramfs (the testsuite, the static BusyBox, tests/busybox/suite.sh)
# boots in Tessera with suite.sh as pid 1, and is unpacked and chrooted into
# on the host, where suite.sh runs with pid 1's environment. Every test that
# passes on Linux must pass on Tessera, unless tests/busybox/known-failures
# says why it does not; tests failing on Linux are listed, not compared.
#   run.sh BUILD_DIR
# Ends with "busybox: N passed, N failed": of the tests that pass on Linux,
# those that pass on Tessera too, and those that fail and are not listed.
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
known=$root/tests/busybox/known-failures
image=$build/busybox-test
out=$image/out
limit=${BBTEST_TIMEOUT:-900}
rm -rf "$out"
mkdir -p "$out"

# The host's /dev and /proc inside the unpacked tree, in a private mount
# namespace (as a mapped root if we are not root).
run_linux() {
	local tree=$out/linux-root start=$SECONDS
	local userns=()
	[ "$(id -u)" -eq 0 ] || userns=(--map-root-user)
	mkdir -p "$tree"
	(cd "$tree" && cpio -idm --quiet) < "$image/initramfs"
	timeout --kill-after=5 "$limit" unshare --mount --propagation private "${userns[@]}" sh -c '
		mount --rbind /dev "$1/dev" && mount -t proc proc "$1/proc" &&
		exec chroot "$1" /usr/bin/env -i PATH=/bin:/sbin:/usr/bin HOME=/ TERM=vt100 \
			/bin/bbtest-suite' sh "$tree" > "$out/linux.log" 2>&1 < /dev/null
	echo $((SECONDS - start)) > "$out/linux.seconds"
	rm -rf --one-file-system "$tree"
}

run_tessera() {
	local start=$SECONDS
	timeout --kill-after=5 "$limit" "$root/scripts/qemu.sh" "$image/bbtest.iso" headless \
		-serial "file:$out/console" > "$out/serial" 2>&1 < /dev/null
	echo $((SECONDS - start)) > "$out/tessera.seconds"
	tr -d '\r' < "$out/console" > "$out/tessera.log"
}

# results LOG: "status<TAB>name" per test (pass, fail, skip), in order; a
# name the suite uses twice gets " (2)", trailing blanks go.
results() {
	sed -n 's/^\(PASS\|FAIL\|SKIPPED\|UNTESTED\): \(.*\)$/\1\t\2/p' "$1" |
	awk -F'\t' '
		{ sub(/[ \t]+$/, "", $2); n = ++seen[$2] }
		{ s = $1 == "PASS" ? "pass" : $1 == "FAIL" ? "fail" : "skip" }
		{ print s "\t" $2 (n > 1 ? " (" n ")" : "") }'
}

# excerpt LOG NAME: what the verbose suite printed about a failed test:
# the command before its FAIL line, the diff or the trace after it
excerpt() {
	awk -v want="FAIL: $2" '
		shown && (/^======================$/ || /^(PASS|FAIL|SKIPPED|UNTESTED): /) { exit }
		shown { print "    " $0; next }
		/^======================$/ { n = 0 }
		{ buf[n++ % 30] = $0 }
		$0 == want { for (i = n > 30 ? n - 30 : 0; i < n; i++) print "    " buf[i % 30]; shown = 1 }
		/^(PASS|FAIL|SKIPPED|UNTESTED): / { n = 0 }' "$1"
}

run_linux &
run_tessera
wait

declare -A on_linux on_tessera reason
while IFS=$'\t' read -r status name; do on_linux[$name]=$status; done < <(results "$out/linux.log")
while IFS=$'\t' read -r status name; do on_tessera[$name]=$status; done < <(results "$out/tessera.log")
# known-failures: "[reason] test name" lines; # comments
while IFS= read -r line; do
	[[ $line =~ ^\[([^]]+)\]\ (.*[^[:space:]])[[:space:]]*$ ]] && reason[${BASH_REMATCH[2]}]=${BASH_REMATCH[1]}
done < "$known"

if ! grep -q '^bbtest: end' "$out/linux.log" || [ ${#on_linux[@]} -eq 0 ]; then
	echo "FAIL busybox: the suite did not run to its end on the Linux host:"
	tail -20 "$out/linux.log"
	echo "busybox: 0 passed, 1 failed"
	exit 1
fi

count() { # count ARRAY STATUS
	local -n a=$1
	local n=0 k
	for k in "${!a[@]}"; do [ "${a[$k]}" = "$2" ] && n=$((n + 1)); done
	echo "$n"
}
printf '%-26s %6s %6s %6s %8s\n' "BusyBox testsuite" pass fail skip seconds
for os in linux tessera; do
	printf '%-26s %6s %6s %6s %8s\n' "  ${os^}" "$(count "on_$os" pass)" "$(count "on_$os" fail)" \
		"$(count "on_$os" skip)" "$(cat "$out/$os.seconds")"
done
if ! grep -q '^bbtest: end' "$out/tessera.log"; then
	echo "Tessera did not finish the suite (tests not run count as failures); serial log:"
	tr -d '\r' < "$out/serial" | tail -20
fi

passed=0 failed=0 expected=0
regressions=() now_pass=() host_fail=()
while IFS=$'\t' read -r status name; do
	case $status in
	pass) ;;
	fail) host_fail+=("$name"); continue ;;
	*) continue ;;
	esac
	if [ "${on_tessera[$name]:-missing}" = pass ]; then
		passed=$((passed + 1))
		[ -n "${reason[$name]:-}" ] && now_pass+=("$name")
	elif [ -n "${reason[$name]:-}" ]; then
		expected=$((expected + 1))
	else
		failed=$((failed + 1))
		regressions+=("$name (Tessera: ${on_tessera[$name]:-did not run})")
	fi
done < <(results "$out/linux.log")

echo "Tessera-only failures listed in tests/busybox/known-failures: $expected"
for name in "${!reason[@]}"; do
	[ "${on_linux[$name]:-}" = pass ] ||
		echo "  stale entry (does not pass on Linux, or no such test): $name"
done
for name in "${now_pass[@]}"; do
	echo "  now passes on Tessera, remove it from known-failures: $name"
done
echo "Failing on the Linux host too (not compared): ${#host_fail[@]}"
for name in "${host_fail[@]}"; do echo "  $name"; done
for name in "${regressions[@]}"; do
	echo "FAIL busybox: $name: passes on Linux"
	excerpt "$out/tessera.log" "${name% (Tessera: *}"
done
echo "logs: $out/{linux,tessera}.log"
echo "busybox: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
