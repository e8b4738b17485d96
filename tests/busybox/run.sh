#!/usr/bin/env bash
# BusyBox's own tests, in Tessera and on the Linux host, compared: two
# suites, its testsuite (testsuite/runtest, "busybox") and its shell's
# (shell/ash_test/run-all, "ash"). One initramfs (both test trees, the
# static BusyBox, the suite scripts) boots in Tessera once per suite, with
# its script (tests/busybox/suite.sh, ash-suite.sh) as pid 1, and is
# unpacked and chrooted into on the host, where the same script runs with
# pid 1's environment. Every test that passes on Linux must pass on Tessera,
# unless the suite's known-failures file says why it does not; tests failing
# on Linux are listed, not compared.
#   run.sh BUILD_DIR [SUITE…]    (busybox, ash: only those; both by default)
# Ends with "busybox: N passed, N failed" and "ash: N passed, N failed":
# of each suite's tests that pass on Linux, those that pass on Tessera too,
# and those that fail and are not listed.
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
shift $(($# > 0))
root=$(cd "$(dirname "$0")/../.." && pwd)
image=$build/busybox-test
out=$image/out
limit=${BBTEST_TIMEOUT:-900}
suites=(busybox ash)
[ $# -eq 0 ] || suites=("$@")
# per suite: the name of its pid 1 in the image (/bin/TAG-suite) and of
# its ISO (TAG.iso), the prefix of its own log lines, its table's title
declare -A tag=([busybox]=bbtest [ash]=ashtest)
declare -A title=([busybox]="BusyBox testsuite" [ash]="BusyBox ash_test")
declare -A known=([busybox]=$root/tests/busybox/known-failures
	[ash]=$root/tests/busybox/ash-known-failures)
for suite in "${suites[@]}"; do
	[ -n "${tag[$suite]:-}" ] || { echo "run.sh: no suite \"$suite\" (busybox, ash)" >&2; exit 2; }
done
rm -rf "$out"

# close_inherited_fds: in a subshell, closes all but 0-2 (make's jobserver,
# a terminal's…): in Tessera pid 1 has no others, and ash_test's
# redirection tests see them.
close_inherited_fds() {
	local fd
	for fd in $(ls "/proc/$BASHPID/fd"); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
}

# run_linux SUITE: the host's /dev and /proc inside the unpacked tree, in a
# private mount namespace (as a mapped root if we are not root).
run_linux() {
	local dir=$out/$1 start=$SECONDS
	local tree=$dir/linux-root
	local userns=()
	[ "$(id -u)" -eq 0 ] || userns=(--map-root-user)
	mkdir -p "$tree"
	(cd "$tree" && cpio -idm --quiet) < "$image/initramfs"
	(close_inherited_fds
	exec timeout --kill-after=5 "$limit" unshare --mount --propagation private "${userns[@]}" sh -c '
		mount --rbind /dev "$1/dev" && mount -t proc proc "$1/proc" &&
		exec "$3" chroot chroot "$1" /usr/bin/env -i PATH=/bin:/sbin:/usr/bin \
			HOME=/ TERM=vt100 "/bin/$2-suite"' sh "$tree" "${tag[$1]}" "$root/tests/lib/as-pid1") \
		> "$dir/linux.log" 2>&1 < /dev/null
	echo $((SECONDS - start)) > "$dir/linux.seconds"
	rm -rf --one-file-system "$tree"
}

run_tessera() { # run_tessera SUITE
	local dir=$out/$1 start=$SECONDS
	timeout --kill-after=5 "$limit" "$root/scripts/qemu.sh" "$image/${tag[$1]}.iso" headless \
		-serial "file:$dir/console" > "$dir/serial" 2>&1 < /dev/null
	echo $((SECONDS - start)) > "$dir/tessera.seconds"
	tr -d '\r' < "$dir/console" > "$dir/tessera.log"
}

# results_SUITE LOG: "status<TAB>name" per test (pass, fail, skip), in order.
# runtest: "PASS: name" …; a name used twice gets " (2)", trailing blanks go.
results_busybox() {
	sed -n 's/^\(PASS\|FAIL\|SKIPPED\|UNTESTED\): \(.*\)$/\1\t\2/p' "$1" |
	awk -F'\t' '
		{ sub(/[ \t]+$/, "", $2); n = ++seen[$2] }
		{ s = $1 == "PASS" ? "pass" : $1 == "FAIL" ? "fail" : "skip" }
		{ print s "\t" $2 (n > 1 ? " (" n ")" : "") }'
}
# run-all: "ash-dir/name.tests: ok" or ": fail"; ash-suite.sh's ": skip"
results_ash() {
	sed -n 's/^\(ash-[^:]*\.tests\): \(ok\|fail\|skip\)$/\2\t\1/p' "$1" | sed 's/^ok\t/pass\t/'
}

# excerpt_SUITE LOG NAME: what the suite printed about a failed test.
# runtest -v: the command before its FAIL line, the diff or trace after it
excerpt_busybox() {
	awk -v want="FAIL: $2" '
		shown && (/^======================$/ || /^(PASS|FAIL|SKIPPED|UNTESTED): /) { exit }
		shown { print "    " $0; next }
		/^======================$/ { n = 0 }
		{ buf[n++ % 30] = $0 }
		$0 == want { for (i = n > 30 ? n - 30 : 0; i < n; i++) print "    " buf[i % 30]; shown = 1 }
		/^(PASS|FAIL|SKIPPED|UNTESTED): / { n = 0 }' "$1"
}
# ash-suite.sh: the diff run-all left, after "ashtest: diff of NAME"
excerpt_ash() {
	awk -v want="ashtest: diff of $2" '
		shown && /^ashtest: diff of / { exit }
		shown { print "    " $0 }
		$0 == want { shown = 1 }' "$1"
}

count() { # count ARRAY STATUS
	local -n a=$1
	local n=0 k
	for k in "${!a[@]}"; do [ "${a[$k]}" = "$2" ] && n=$((n + 1)); done
	echo "$n"
}

# report SUITE: its table, the Linux-passing tests that fail on Tessera and
# are not listed (with their excerpts), stale known-failures entries, and
# "SUITE: N passed, N failed"; fails if any such test failed.
report() {
	local suite=$1 dir=$out/$1 name status line os
	local -A on_linux=() on_tessera=() reason=()
	while IFS=$'\t' read -r status name; do on_linux[$name]=$status; done < <("results_$suite" "$dir/linux.log")
	while IFS=$'\t' read -r status name; do on_tessera[$name]=$status; done < <("results_$suite" "$dir/tessera.log")
	# known-failures: "[reason] test name" lines; # comments
	while IFS= read -r line; do
		[[ $line =~ ^\[([^]]+)\]\ (.*[^[:space:]])[[:space:]]*$ ]] && reason[${BASH_REMATCH[2]}]=${BASH_REMATCH[1]}
	done < "${known[$suite]}"

	if ! grep -q "^${tag[$suite]}: end" "$dir/linux.log" || [ ${#on_linux[@]} -eq 0 ]; then
		echo "FAIL $suite: the suite did not run to its end on the Linux host:"
		tail -20 "$dir/linux.log"
		echo "$suite: 0 passed, 1 failed"
		return 1
	fi

	printf '%-26s %6s %6s %6s %8s\n' "${title[$suite]}" pass fail skip seconds
	for os in linux tessera; do
		printf '%-26s %6s %6s %6s %8s\n' "  ${os^}" "$(count "on_$os" pass)" "$(count "on_$os" fail)" \
			"$(count "on_$os" skip)" "$(cat "$dir/$os.seconds")"
	done
	if ! grep -q "^${tag[$suite]}: end" "$dir/tessera.log"; then
		echo "Tessera did not finish the suite (tests not run count as failures); it stopped at:"
		tail -5 "$dir/tessera.log"
		echo "serial log:"
		tr -d '\r' < "$dir/serial" | tail -20
	fi

	local passed=0 failed=0 expected=0
	local regressions=() now_pass=() host_fail=()
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
	done < <("results_$suite" "$dir/linux.log")

	echo "Tessera-only failures listed in ${known[$suite]#"$root/"}: $expected"
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
		echo "FAIL $suite: $name: passes on Linux"
		"excerpt_$suite" "$dir/tessera.log" "${name% (Tessera: *}"
	done
	echo "logs: $dir/{linux,tessera}.log"
	echo "$suite: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

for suite in "${suites[@]}"; do mkdir -p "$out/$suite"; done
# All side by side: ash_test mostly sleeps (its signal and wait tests)
for suite in "${suites[@]}"; do
	run_linux "$suite" &
	run_tessera "$suite" &
done
wait

status=0
for suite in "${suites[@]}"; do report "$suite" || status=1; done
exit "$status"
