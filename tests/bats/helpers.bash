# Shared helpers for the in-OS tests: boot an image headless under a
# timeout, keep its serial log, and assert on it (showing the log when an
# assertion fails). An image is an ISO (GRUB) or a .kboot (QEMU's -kernel);
# scripts/qemu.sh boots either.

BUILD=${BUILD:-build}
ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# boot ISO LOG SECONDS: boot until the guest powers off; QEMU's exit status
# lands in $LOG.status (124 = timed out).
boot() {
	local iso=$1 log=$2 limit=$3 status=0
	timeout --kill-after=5 "$limit" "$ROOT/scripts/qemu.sh" "$ROOT/$BUILD/$iso" headless \
		> "$log" 2>&1 < /dev/null || status=$?
	echo "$status" > "$log.status"
}

# boot_until ISO LOG PATTERN SECONDS: for images that stay up: boot, wait for
# PATTERN in the log, then stop QEMU. $LOG.status is 0 if the pattern came.
boot_until() {
	local iso=$1 log=$2 pattern=$3 limit=$4
	timeout --kill-after=5 "$limit" "$ROOT/scripts/qemu.sh" "$ROOT/$BUILD/$iso" headless \
		> "$log" 2>&1 < /dev/null &
	local pid=$! i
	for ((i = 0; i < limit * 10; i++)); do
		grep -q -- "$pattern" "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q -- "$pattern" "$log"; then echo 0 > "$log.status"; else echo 1 > "$log.status"; fi
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

show_log() {
	echo "----- serial log ($1) -----"
	tr -d '\r' < "$1"
	echo "----- end of log -----"
}

# assert_log LOG REGEX: an extended regex must match a line of the log
assert_log() {
	if ! tr -d '\r' < "$1" | grep -Eq -- "$2"; then
		echo "expected a line matching: $2"
		show_log "$1"
		return 1
	fi
}

refute_log() {
	if tr -d '\r' < "$1" | grep -Eq -- "$2"; then
		echo "unexpected line matching: $2"
		show_log "$1"
		return 1
	fi
}

assert_status() {
	local got
	got=$(cat "$1.status")
	if [ "$got" != "$2" ]; then
		echo "QEMU exit status $got, expected $2"
		show_log "$1"
		return 1
	fi
}

# vga_text_after ISO LOG PATTERN SECONDS OUT: boot with the QEMU monitor on a
# pipe, wait for PATTERN on the serial log, then write the VGA text screen
# (80x25 characters read from 0xB8000 through the monitor) to OUT.
vga_text_after() {
	local iso=$1 log=$2 pattern=$3 limit=$4 out=$5 fifo mon i
	fifo=$(mktemp -u) mon=$(mktemp)
	mkfifo "$fifo"
	timeout --kill-after=5 "$limit" qemu-system-x86_64 -accel tcg -cpu max -m 512M \
		-no-reboot -cdrom "$ROOT/$BUILD/$iso" -display none -monitor stdio \
		-serial "file:$log" < "$fifo" > "$mon" 2>&1 &
	local pid=$!
	exec 9> "$fifo"
	for ((i = 0; i < limit * 10; i++)); do
		grep -q -- "$pattern" "$log" 2>/dev/null && break
		sleep 0.1
	done
	echo "xp /2000hx 0xb8000" >&9
	echo quit >&9
	exec 9>&-
	wait "$pid" || true
	rm -f "$fifo"
	# each 16-bit cell: attribute in the high byte, character in the low one
	local w n=0
	for w in $(grep -o '0x[0-9a-f]\{4\}' "$mon"); do
		printf "\\x${w:4:2}"
		(( ++n % 80 == 0 )) && echo
	done > "$out"
	rm -f "$mon"
}

# wait_matches LOG REGEX N SECONDS: until REGEX matches N times in LOG
wait_matches() {
	local i
	for ((i = 0; i < $4 * 10; i++)); do
		[ "$(tr -d '\r' < "$1" | grep -aoE -- "$2" | wc -l)" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_for_prompts LOG N SECONDS: until the shell has printed N prompts
# (a full-screen program's last escape sequences may precede one)
wait_for_prompts() {
	wait_matches "$1" $'(^|\e\\[[0-9;?]*[a-zA-Z])/[^ ]* # ' "$2" "$3"
}

# shell_session ISO LOG SECONDS CMD...: boot, wait for the shell prompt,
# type each command (waiting for the prompt again after each), then stop.
# A CMD "KEY:<bytes>" (printf escapes, e.g. KEY:\003 for ^C) is typed two
# seconds later without waiting for a prompt: keys for a running command.
shell_session() {
	local iso=$1 log=$2 limit=$3 fifo cmd prompts
	shift 3
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	timeout --kill-after=5 "$limit" "$ROOT/scripts/qemu.sh" "$ROOT/$BUILD/$iso" headless \
		< "$fifo" > "$log" 2>&1 &
	local pid=$!
	exec 8> "$fifo"
	prompts=1
	for cmd in "$@" ""; do
		if [[ $cmd == KEY:* ]]; then
			sleep 2
			printf "${cmd#KEY:}" >&8
			continue
		fi
		wait_for_prompts "$log" "$prompts" "$limit" || true
		if [ -n "$cmd" ]; then printf '%s\r' "$cmd" >&8; fi
		prompts=$((prompts + 1))
	done
	exec 8>&-
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$fifo"
}

# Keyboard and screen sessions: QEMU's monitor on a pipe (sendkey types on
# the PS/2 keyboard, xp reads the VGA text memory), the serial console on
# another. screen_start ISO LOG SECONDS; then serial_type, keys_type,
# screen_wait, screen_dump; screen_stop.
screen_start() {
	local iso=$1 limit=$3
	SCREEN_LOG=$2
	SCREEN_DIR=$(mktemp -d)
	mkfifo "$SCREEN_DIR/mon" "$SCREEN_DIR/serial.in" "$SCREEN_DIR/serial.out"
	timeout --kill-after=5 "$limit" qemu-system-x86_64 -accel tcg -cpu max -m 512M \
		-no-reboot -boot d -cdrom "$ROOT/$BUILD/$iso" -display none \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-chardev pipe,id=ser,path="$SCREEN_DIR/serial" -serial chardev:ser \
		-monitor stdio < "$SCREEN_DIR/mon" > "$SCREEN_DIR/monitor.out" 2>&1 &
	SCREEN_QEMU=$!
	exec 7> "$SCREEN_DIR/mon" 8> "$SCREEN_DIR/serial.in"
	: > "$SCREEN_LOG"
	cat "$SCREEN_DIR/serial.out" > "$SCREEN_LOG" &
	SCREEN_CAT=$!
}

screen_stop() {
	echo quit >&7
	exec 7>&- 8>&-
	wait "$SCREEN_QEMU" 2>/dev/null || true
	wait "$SCREEN_CAT" 2>/dev/null || true
	rm -rf "$SCREEN_DIR"
}

# serial_wait REGEX N SECONDS: until the serial log matches N times
serial_wait() {
	wait_matches "$SCREEN_LOG" "$1" "$2" "$3"
}

serial_type() {
	printf '%s\r' "$1" >&8
}

# The QEMU key name (qcode) for one character of US layout
key_name() {
	local c=$1
	case $c in
	[a-z0-9]) echo "$c" ;;
	[A-Z]) echo "shift-${c,}" ;;
	' ') echo spc ;;
	$'\n') echo ret ;;
	'-') echo minus ;; '_') echo shift-minus ;; '=') echo equal ;; '+') echo shift-equal ;;
	'.') echo dot ;; '>') echo shift-dot ;; ',') echo comma ;; '<') echo shift-comma ;;
	'/') echo slash ;; '?') echo shift-slash ;; ';') echo semicolon ;; ':') echo shift-semicolon ;;
	"'") echo apostrophe ;; '"') echo shift-apostrophe ;; '|') echo shift-backslash ;;
	'$') echo shift-4 ;; '&') echo shift-7 ;; '*') echo shift-8 ;; '(') echo shift-9 ;;
	')') echo shift-0 ;; '!') echo shift-1 ;; '#') echo shift-3 ;;
	*) echo "key_name: no key for '$c'" >&2; return 1 ;;
	esac
}

# keys_type TEXT: type TEXT on the keyboard; a "\n" in it is Enter
keys_type() {
	local text=$1 i
	for ((i = 0; i < ${#text}; i++)); do
		echo "sendkey $(key_name "${text:i:1}")" >&7
		sleep 0.05
	done
}

# keys_send KEY...: QEMU key combinations (ctrl-c, backspace, up)
keys_send() {
	local k
	for k in "$@"; do
		echo "sendkey $k" >&7
		sleep 0.05
	done
}

# screen_dump OUT: the 80x25 characters of the VGA text screen, a line each
screen_dump() {
	local out=$1 before i w n=0
	before=$(grep -c '^00000000000b8' "$SCREEN_DIR/monitor.out")
	echo "xp /2000hx 0xb8000" >&7
	for ((i = 0; i < 100; i++)); do
		(( $(grep -c '^00000000000b8' "$SCREEN_DIR/monitor.out") >= before + 250 )) && break
		sleep 0.1
	done
	for w in $(grep '^00000000000b8' "$SCREEN_DIR/monitor.out" | tail -n 250 |
		   grep -o '0x[0-9a-f]\{4\}'); do
		printf "\\x${w:4:2}"
		(( ++n % 80 == 0 )) && echo
	done > "$out"
}

# screen_wait REGEX SECONDS: until the screen has a line matching REGEX
screen_wait() {
	local i
	for ((i = 0; i < $2; i++)); do
		screen_dump "$SCREEN_DIR/screen.txt"
		grep -qE -- "$1" "$SCREEN_DIR/screen.txt" && return 0
		sleep 1
	done
	return 1
}
