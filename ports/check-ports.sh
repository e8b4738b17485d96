#!/bin/sh
# Check the ports build on the host: tessera-cc makes static musl programs
# that run, BusyBox is static and works, and the cached Debian sources are
# still exactly as unpacked. Expects `make musl busybox` to have run.
# Environment: BUILD (default build), TESSERA_PORTS_CACHE (default
# ~/.cache/tessera/ports). Ends with "N passed, N failed"; exit 1 on failure.
set -u

BUILD=${BUILD:-build}
CACHE=${TESSERA_PORTS_CACHE:-${HOME:-/tmp}/.cache/tessera/ports}
CC="$BUILD/sysroot/bin/tessera-cc"
BUSYBOX="$BUILD/ports/busybox/busybox"

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# `file` says "statically linked"; without it (it is not in scripts/setup.sh)
# fall back to readelf: a static binary has no PT_INTERP and no PT_DYNAMIC.
describe() {
	if command -v file >/dev/null 2>&1; then
		file -b "$1"
	elif readelf -lW "$1" 2>/dev/null | grep -Eq 'INTERP|DYNAMIC'; then
		echo "dynamically linked (readelf)"
	else
		echo "statically linked (readelf; file(1) not installed)"
	fi
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# --- tessera-cc ---------------------------------------------------------
if [ -x "$CC" ]; then
	cat > "$tmp/hello.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char *s = malloc(64);
	if (!s || argc < 2)
		return 1;
	strcpy(s, argv[1]);
#ifdef __GLIBC__
	printf("glibc %s\n", s);
#else
	printf("hello %s %d\n", s, 42);
#endif
	free(s);
	return 0;
}
EOF
	if "$CC" -O2 -Wall -o "$tmp/hello" "$tmp/hello.c" 2> "$tmp/cc.log"; then
		ok "tessera-cc compiles and links hello.c"
		info=$(describe "$tmp/hello")
		case $info in
		*"statically linked"*) ok "hello is statically linked ($info)" ;;
		*) fail "hello is not statically linked: $info" ;;
		esac
		out=$("$tmp/hello" tessera 2>&1)
		if [ "$out" = "hello tessera 42" ]; then
			ok "hello runs on the host: $out"
		else
			fail "hello printed '$out', want 'hello tessera 42'"
		fi
	else
		fail "tessera-cc cannot build hello.c:"; sed 's/^/     /' "$tmp/cc.log"
	fi
else
	fail "$CC missing: run make musl"
fi

# --- busybox ------------------------------------------------------------
if [ -x "$BUSYBOX" ]; then
	info=$(describe "$BUSYBOX")
	case $info in
	*"statically linked"*) ok "busybox is statically linked ($(wc -c < "$BUSYBOX") bytes)" ;;
	*) fail "busybox is not statically linked: $info" ;;
	esac
	out=$("$BUSYBOX" echo hi 2>&1)
	if [ "$out" = hi ]; then ok "busybox echo hi"
	else fail "busybox echo hi printed '$out'"; fi
	n=$("$BUSYBOX" --list | wc -l)
	if [ "$n" -gt 0 ]; then ok "busybox --list: $n applets"
	else fail "busybox --list lists no applet"; fi
	missing=
	for a in sh echo ls cat mount; do
		"$BUSYBOX" --list | grep -qx "$a" || missing="$missing $a"
	done
	if [ -z "$missing" ]; then ok "busybox has sh echo ls cat mount"
	else fail "busybox lacks applets:$missing"; fi
	out=$("$BUSYBOX" sh -c 'x=$((6 * 7)); echo "sum $x"' 2>&1)
	if [ "$out" = "sum 42" ]; then ok "busybox sh runs a script"
	else fail "busybox sh printed '$out'"; fi
else
	fail "$BUSYBOX missing: run make busybox"
fi

# --- pristine sources ---------------------------------------------------
# Each fetch records <dir>.sha256 of every file in the unpacked tree; any
# edit, removal or new file there (e.g. an in-tree build) shows up here.
found=
for m in "$CACHE"/*/*.sha256; do
	[ -f "$m" ] || continue
	found=1
	src=${m%.sha256}
	if [ -d "$src" ] && (cd "$src" && find . -type f -print | LC_ALL=C sort |
			xargs -d '\n' sha256sum) | cmp -s - "$m"; then
		ok "source tree pristine: $src"
	else
		fail "source tree changed since it was unpacked: $src" \
			"(remove it and its .sha256 to fetch it again)"
	fi
done
[ -n "$found" ] || fail "no fetched sources under $CACHE"

echo "ports: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
