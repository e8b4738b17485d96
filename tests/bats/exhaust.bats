#!/usr/bin/env bats
# Exhaustion (exhaust.c): a fork bomb, a memory hog, a file hog and a pipe
# hog, each as an ordinary user, with an administrator's limit and with the
# defaults; meanwhile root and another user can still open a file, make a
# pipe and fork, and afterwards everything the hog took is back.

load helpers

setup_file() {
	"$ROOT/$BUILD/sysroot/bin/tessera-cc" -O2 -Wall -Wextra -Werror \
		-o "$BATS_FILE_TMPDIR/exhaust" "$BATS_TEST_DIRNAME/exhaust.c"
}

# exhaust HOG limited|default: the program as pid 1, all its checks passed
exhaust() {
	run env TESSERA_RUN_TIMEOUT=600 "$ROOT/scripts/tessera-run" \
		-f "$BATS_FILE_TMPDIR/exhaust:bin/exhaust" "exec exhaust $1 $2"
	[ "$status" -eq 0 ] && [[ "$output" == *"all checks passed"* ]] ||
		{ echo "status $status: $output"; false; }
}

@test "a fork bomb stops at RLIMIT_NPROC; others fork; all is reclaimed" {
	exhaust forkbomb limited
}

@test "a fork bomb with the default limits leaves others room; all is reclaimed" {
	exhaust forkbomb default
}

@test "a memory hog stops at RLIMIT_AS; others work; all is reclaimed" {
	exhaust memory limited
}

@test "a memory hog with the default limits leaves others room; all is reclaimed" {
	exhaust memory default
}

@test "file hogs stop at RLIMIT_NOFILE; others open files; all is reclaimed" {
	exhaust files limited
}

@test "file hogs with the default limits leave others room; all is reclaimed" {
	exhaust files default
}

@test "pipe hogs stop at RLIMIT_NOFILE; others make pipes; all is reclaimed" {
	exhaust pipes limited
}

@test "pipe hogs with the default limits leave others room; all is reclaimed" {
	exhaust pipes default
}
