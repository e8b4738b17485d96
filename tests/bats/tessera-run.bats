#!/usr/bin/env bats
# scripts/tessera-run: one command in Tessera, its output, its exit status.

load helpers

@test "tessera-run prints the command's output and returns its status" {
	run "$ROOT/scripts/tessera-run" 'echo hello; echo one two | wc -w; exit 3'
	[ "$status" -eq 3 ] || { echo "status $status: $output"; false; }
	[ "${lines[0]}" = hello ] && [ "${lines[1]}" = 2 ] || { echo "$output"; false; }
}

@test "tessera-run returns 0 for a command that succeeds" {
	run "$ROOT/scripts/tessera-run" 'test -d /etc'
	[ "$status" -eq 0 ] || { echo "status $status: $output"; false; }
}
