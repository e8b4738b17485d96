/* Scan code set 1 to bytes (see keymap.h). */
#include "keymap.h"

enum {
	SC_EXTENDED = 0xE0, SC_RELEASE = 0x80,
	SC_CTRL = 0x1D, SC_SHIFT_LEFT = 0x2A, SC_SHIFT_RIGHT = 0x36, SC_ALT = 0x38,
	SC_CAPS_LOCK = 0x3A,
};

/* Unshifted and shifted bytes of the keys of the main block and keypad,
 * indexed by scan code; 0 where a key has none. */
static const char plain[0x54] =
	"\0\x1b" "1234567890-=\x7f"
	"\tqwertyuiop[]\r"
	"\0asdfghjkl;'`"
	"\0\\zxcvbnm,./\0*"
	"\0 \0\0\0\0\0\0\0\0\0\0\0\0\0"
	"789-456+1230.";
static const char shifted[0x54] =
	"\0\x1b" "!@#$%^&*()_+\x7f"
	"\tQWERTYUIOP{}\r"
	"\0ASDFGHJKL:\"~"
	"\0|ZXCVBNM<>?\0*"
	"\0 \0\0\0\0\0\0\0\0\0\0\0\0\0"
	"789-456+1230.";

/* Keys behind the 0xE0 prefix that send escape sequences (Linux console) */
static const struct { uint8_t code; const char *seq; } extended_keys[] = {
	{ 0x48, "\x1b[A" }, { 0x50, "\x1b[B" }, { 0x4D, "\x1b[C" }, { 0x4B, "\x1b[D" },
	{ 0x47, "\x1b[1~" }, { 0x52, "\x1b[2~" }, { 0x53, "\x1b[3~" }, { 0x4F, "\x1b[4~" },
	{ 0x49, "\x1b[5~" }, { 0x51, "\x1b[6~" },
	{ 0x1C, "\r" }, { 0x35, "/" },      /* keypad enter and slash */
};

static unsigned copy(char *out, const char *s)
{
	unsigned n = 0;

	while (s[n] && n < KBD_MAX_BYTES) {
		out[n] = s[n];
		n++;
	}
	return n;
}

/* Track modifiers; true if code was one. */
static bool modifier(struct kbd_state *s, uint8_t code, bool extended)
{
	bool down = !(code & SC_RELEASE);

	switch (code & ~SC_RELEASE) {
	case SC_CTRL:
		*(extended ? &s->ctrl_right : &s->ctrl_left) = down;
		return true;
	case SC_SHIFT_LEFT:             /* E0 2A: a fake shift around some keys */
		if (!extended)
			s->shift_left = down;
		return true;
	case SC_SHIFT_RIGHT:
		if (!extended)
			s->shift_right = down;
		return true;
	case SC_ALT:
		s->alt = down;
		return true;
	case SC_CAPS_LOCK:
		if (down)
			s->caps_lock = !s->caps_lock;
		return true;
	}
	return false;
}

static char main_key(const struct kbd_state *s, uint8_t code)
{
	bool shift = s->shift_left || s->shift_right;
	char c = plain[code];

	if (c >= 'a' && c <= 'z' && s->caps_lock)
		shift = !shift;
	if (shift)
		c = shifted[code];
	if (s->ctrl_left || s->ctrl_right) {
		if (c >= 'a' && c <= 'z')
			return (char)(c - 'a' + 1);
		if ((c >= '@' && c <= '_') || c == ' ')
			return (char)(c & 0x1f);
		if (c == '/')
			return 0x1f;
	}
	return c;
}

unsigned kbd_scancode(struct kbd_state *s, uint8_t code, char out[KBD_MAX_BYTES])
{
	bool extended = s->extended;

	if (code == SC_EXTENDED) {
		s->extended = true;
		return 0;
	}
	s->extended = false;
	if (modifier(s, code, extended) || code & SC_RELEASE)
		return 0;
	if (extended) {
		for (unsigned i = 0; i < sizeof extended_keys / sizeof extended_keys[0]; i++)
			if (extended_keys[i].code == code)
				return copy(out, extended_keys[i].seq);
		return 0;
	}
	if (code >= sizeof plain || !plain[code])
		return 0;
	char c = main_key(s, code);
	unsigned n = 0;
	if (s->alt)
		out[n++] = '\x1b';          /* meta sends escape, as Linux's console */
	out[n++] = c;
	return n;
}
