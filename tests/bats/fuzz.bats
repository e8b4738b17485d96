#!/usr/bin/env bats
# The in-OS system-call fuzzer (tests/fuzz/README.md): a fixed budget of
# generated calls, children as root and as uid 1000, then every entry of
# the crash corpus, each in one boot. A panic, a server's death, a failed
# or hung health check, or a machine that stops answering fails.

load helpers

# the budget: calls 0..BUDGET-1 of seed 1 (those after a call that ends its
# child are skipped, so somewhat fewer are made; at least 50000 must be)
BUDGET=54000

setup_file() {
	export OUT=$BATS_FILE_TMPDIR
	local status=0
	# a failed run is the tests' verdict below, not setup's (bats stops at a failing command)
	"$ROOT/tests/fuzz/run.sh" "$ROOT/$BUILD" "$OUT/budget" run 1 0 "$BUDGET" \
		> "$OUT/budget.txt" 2>&1 || status=$?
	echo $status > "$OUT/budget.status"
	status=0
	"$ROOT/tests/fuzz/run.sh" "$ROOT/$BUILD" "$OUT/corpus" replay > "$OUT/corpus.txt" 2>&1 ||
		status=$?
	echo $status > "$OUT/corpus.status"
}

# outcome NAME: the run's verdict, its report shown if it failed
outcome() {
	if [ "$(cat "$OUT/$1.status")" != 0 ]; then
		cat "$OUT/$1.txt"
		return 1
	fi
}

@test "fuzz: the budget's calls leave no panic, no dead server, a system that answers" {
	outcome budget
}

@test "fuzz: at least 50000 calls made, by children of uid 0 and of uid 1000" {
	outcome budget
	calls=$(sed -n 's/^fuzz: \([0-9]*\) calls in .*/\1/p' "$OUT/budget/log")
	echo "calls made: ${calls:-none}"
	[ "${calls:-0}" -ge 50000 ]
	grep -q '^fuzz: child [0-9]*: calls .* uid 0$' "$OUT/budget/log"
	grep -q '^fuzz: child [0-9]*: calls .* uid 1000$' "$OUT/budget/log"
}

@test "fuzz: every call is logged before it is made" {
	outcome budget
	first=$(grep -m1 '^fz ' "$OUT/budget/log")
	[[ $first == "fz 0 "* ]]
	[ "$(grep -c '^fz ' "$OUT/budget/log")" -ge 50000 ]
}

@test "fuzz: the crash corpus replays clean" {
	outcome corpus
	grep -q '^fuzz: corpus: [0-9]* entries, all replayed clean$' "$OUT/corpus/log"
}
