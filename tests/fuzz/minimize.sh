#!/usr/bin/env bash
# Shrink a failure to a minimal call sequence (delta debugging):
#   [MATCH=REGEX] tests/fuzz/minimize.sh BUILD SEED FIRST COUNT UID
# runs calls FIRST..FIRST+COUNT-1 of SEED in one child as UID, then
# replays them as a corpus sequence (where a stall or a call that ends the
# child fails too) and removes calls while the replay still fails, its
# report matching REGEX (e.g. 'stall' or 'vfs'); prints the corpus entry
# (uid and call lines) of what is left. Each try is one boot.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 seed=$2 first=$3 count=$4 uid=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"

# fails CALL_LINE...: true if replaying these calls fails as wanted
fails() {
	{ echo "uid $uid"; printf '%s\n' "$@"; } > "$work/corpus/entry"
	! FUZZ_CORPUS=$work/corpus FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-90} \
		"$root/tests/fuzz/run.sh" "$build" "$work/out" replay > "$work/report" 2>&1 &&
		grep -Eq -- "${MATCH:-.}" "$work/report"
}

FUZZ_TIMEOUT=$((90 + count / 200)) "$root/tests/fuzz/run.sh" "$build" "$work/run" \
	run "$seed" "$first" "$count" "$uid" > /dev/null 2>&1
mapfile -t calls < <(sed -n 's/^fz [0-9]* \([0-9a-f]*\) \(.*\)$/\1 \2/p' "$work/run/log" |
	awk '{ printf "call"; for (i = 1; i <= NF; i++) printf " 0x%s", $i; print "" }')
fails "${calls[@]}" || { echo "the calls as a sequence do not fail so"; exit 1; }
n=2
while [ "${#calls[@]}" -ge 2 ]; do
	len=${#calls[@]} chunk=$(( (${#calls[@]} + n - 1) / n )) reduced=
	for ((i = 0; i < len; i += chunk)); do
		rest=("${calls[@]:0:i}" "${calls[@]:i+chunk}")
		if fails "${rest[@]}"; then
			calls=("${rest[@]}") reduced=1 n=$(( n > 2 ? n - 1 : 2 ))
			echo "minimize: ${#calls[@]} calls" >&2
			break
		fi
	done
	[ -n "$reduced" ] && continue
	[ "$n" -ge "$len" ] && break
	n=$(( 2 * n < len ? 2 * n : len ))
done
echo "uid $uid"
printf '%s\n' "${calls[@]}"
