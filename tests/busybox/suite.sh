#!/bin/sh
# pid 1 of the BusyBox testsuite image, and the same script in a chroot of
# that image on the Linux host (tests/busybox/run.sh): runs BusyBox's own
# testsuite, copied from its source into /bbtest at build time, against
# /bbtest/busybox. Its "PASS: name" / "FAIL: name" / "SKIPPED: name" lines
# are what run.sh compares; -v adds the diff of each failure to the log.
# The tests listed in /bbtest/skipped (tests/busybox/skipped) are skipped.
# No test may wait for the console: stdin is /dev/null, as on the host.
exec < /dev/null 2>&1
cd /bbtest/testsuite || exit 1
grep -v -e '^#' -e '^$' /bbtest/skipped | while IFS=: read -r file name; do
	name=${name# }
	sed -i "s/^testing \"$name\"/SKIP=1 &/" "$file"
	grep -q "^SKIP=1 testing \"$name\"" "$file" || echo "bbtest: no test \"$name\" in $file"
done
echo "bbtest: begin"
bindir=/bbtest tsdir=/bbtest/testsuite ./runtest -v
echo "bbtest: end, runtest exited with status $?"
