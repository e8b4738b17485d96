#!/bin/sh
# pid 1 of the ash test image, and the same script in a chroot of that
# image on the Linux host (tests/busybox/run.sh): runs BusyBox's
# shell/ash_test/run-all, copied from its source into /bbtest/shell/ash_test
# at build time with its helpers (printenv, recho, zecho) built static.
# There, run-all links ./ash to ../../busybox (/bbtest/busybox) and copies
# ../../.config, as in the source tree. Its "dir/name.tests: ok" / ": fail"
# lines are what run.sh compares; after them, the diff of each failure.
# The tests listed in /bbtest/ash-skipped (tests/busybox/ash-skipped) are skipped:
# made non-executable, which run-all skips, and reported "name: skip".
# No test may wait for the console: stdin is /dev/null, as on the host.
# run-all has no time limit per test: a watchdog ends a test that has
# printed nothing for $limit seconds (the whole suite takes some 80 s under
# TCG), so that one hang does not cost the others' results; it fails.
exec < /dev/null 2>&1
limit=${ASHTEST_LIMIT:-120}     # set in a hand-made chroot run, to try it
out=/tmp/ashtest.out
cd /bbtest/shell/ash_test || exit 1

# descendants PID: PID and the processes below it
descendants() {
	echo "$1"
	for stat in /proc/[0-9]*/stat; do
		{ read -r pid comm state ppid rest < "$stat"; } 2>/dev/null || continue
		[ "$ppid" = "$1" ] && descendants "$pid"
	done
}

# kill_test NAME: the shell running ./NAME (run-all's "$THIS_SH ./NAME")
# and what it started; run-all then finds its output wrong
kill_test() {
	for cmdline in /proc/[0-9]*/cmdline; do
		{ tr '\0' ' ' < "$cmdline"; } 2>/dev/null | grep -q "/ash \./${1##*/} \?$" || continue
		pid=${cmdline#/proc/}
		pids=$(descendants "${pid%/cmdline}")
		echo "ashtest: killing" $pids
		kill -KILL $pids
	done
}

# watchdog: kills the current test (run-all's last, unfinished line)
# when $out has not grown for $limit seconds
watchdog() {
	size=-1 still=0
	while sleep 10; do
		now=$(wc -c < "$out")
		[ "$now" = "$size" ] && still=$((still + 10)) || still=0
		size=$now
		[ "$still" -ge "$limit" ] || continue
		test=$(tail -n 1 "$out" | sed -n 's/^\(ash-[^:]*\.tests\):$/\1/p')
		[ -n "$test" ] || continue
		echo "ashtest: killed after ${limit}s without output: $test"
		kill_test "$test"
		still=0
	done
}

grep -v -e '^#' -e '^$' /bbtest/ash-skipped | while read -r name; do
	chmod a-x "$name" && echo "$name: skip"
done
echo "ashtest: begin"
: > "$out"
watchdog >> "$out.killed" 2>&1 &
# run-all's own stderr (the shell's "Killed" after a watchdog kill) apart,
# so that it does not break a "name: result" line
{ ./run-all 2> "$out.stderr"; echo "ashtest: end, run-all exited with status $?"; } | tee "$out"
kill $!
cat "$out.killed" "$out.stderr" 2>/dev/null
# run-all leaves dir/name.tests's diff in dir-name.tests.fail
for f in *.fail; do
	[ -f "$f" ] || continue
	echo "ashtest: diff of $(echo "${f%.fail}" | sed 's:^\(ash-[^-]*\)-:\1/:')"
	cat "$f"
done
