#!/bin/sh
# pid 1 of the ash test image, and the same script in a chroot of that
# image on the Linux host (tests/busybox/run.sh): runs BusyBox's
# shell/ash_test/run-all, copied from its source into /bbtest/shell/ash_test
# at build time with its helpers (printenv, recho, zecho) built static.
# There, run-all links ./ash to ../../busybox (/bbtest/busybox) and copies
# ../../.config, as in the source tree. Its "dir/name.tests: ok" / ": fail"
# lines are what run.sh compares; after them, the diff of each failure.
# The tests listed in /bbtest/ash-slow (tests/busybox/ash-slow) are skipped:
# made non-executable, which run-all skips, and reported "name: skip".
# No test may wait for the console: stdin is /dev/null, as on the host.
exec < /dev/null 2>&1
cd /bbtest/shell/ash_test || exit 1
grep -v -e '^#' -e '^$' /bbtest/ash-slow | while read -r name; do
	chmod a-x "$name" && echo "$name: skip"
done
echo "ashtest: begin"
./run-all
echo "ashtest: end, run-all exited with status $?"
# run-all leaves dir/name.tests's diff in dir-name.tests.fail
for f in *.fail; do
	[ -f "$f" ] || continue
	echo "ashtest: diff of $(echo "${f%.fail}" | sed 's:^\(ash-[^-]*\)-:\1/:')"
	cat "$f"
done
