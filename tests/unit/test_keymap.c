/* The PS/2 driver's scan code set 1 translation (drivers/ps2/keymap.c). */
#include "unit.h"
#include "../../drivers/ps2/keymap.h"

/* Feed scan codes; the bytes they produce, NUL-terminated, in out. */
static void feed(struct kbd_state *s, const uint8_t *codes, unsigned n, char *out)
{
	unsigned len = 0;

	for (unsigned i = 0; i < n; i++)
		len += kbd_scancode(s, codes[i], out + len);
	out[len] = 0;
}

#define FEED(s, out, ...) \
	feed(s, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }), out)

TEST(keymap_letters_digits_and_releases)
{
	struct kbd_state s = { 0 };
	char out[64];

	/* e c h o space 4 2 enter, each pressed and released */
	FEED(&s, out, 0x12, 0x92, 0x2E, 0xAE, 0x23, 0xA3, 0x18, 0x98, 0x39, 0xB9,
	     0x05, 0x85, 0x03, 0x83, 0x1C, 0x9C);
	CHECK(strcmp(out, "echo 42\r") == 0);
	FEED(&s, out, 0x0E, 0x0F, 0x01, 0x0C, 0x0D, 0x35, 0x2B, 0x29);
	CHECK(strcmp(out, "\x7f\t\x1b-=/\\`") == 0);
}

TEST(keymap_shift_and_caps_lock)
{
	struct kbd_state s = { 0 };
	char out[64];

	/* shift held: $((6*7)) */
	FEED(&s, out, 0x2A, 0x05, 0x0A, 0x0A, 0xAA, 0x07, 0x2A, 0x09, 0xAA, 0x08,
	     0x36, 0x0B, 0x0B, 0xB6);
	CHECK(strcmp(out, "$((6*7))") == 0);
	/* caps lock: letters shift, digits do not; shift inverts it again */
	FEED(&s, out, 0x3A, 0xBA, 0x1E, 0x02, 0x2A, 0x1E, 0xAA, 0x3A, 0xBA, 0x1E);
	CHECK(strcmp(out, "A1aa") == 0);
}

TEST(keymap_ctrl_makes_control_characters)
{
	struct kbd_state s = { 0 };
	char out[64];

	/* ^C ^D ^Z ^[ ^\ with left ctrl, ^W with right ctrl (E0 1D) */
	FEED(&s, out, 0x1D, 0x2E, 0x20, 0x2C, 0x1A, 0x2B, 0x9D, 0xE0, 0x1D, 0x11, 0xE0, 0x9D,
	     0x11);
	CHECK_EQ(strlen(out), 7);
	CHECK(memcmp(out, "\x03\x04\x1a\x1b\x1c\x17w", 7) == 0);
}

TEST(keymap_extended_keys_send_vt100_sequences)
{
	struct kbd_state s = { 0 };
	char out[64];

	/* up down right left, released too; home, delete, keypad enter */
	FEED(&s, out, 0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x50, 0xE0, 0x4D, 0xE0, 0x4B,
	     0xE0, 0x47, 0xE0, 0x53, 0xE0, 0x1C);
	CHECK(strcmp(out, "\x1b[A\x1b[B\x1b[C\x1b[D\x1b[1~\x1b[3~\r") == 0);
	/* a fake shift (E0 2A) does not shift; without E0, 0x48 is keypad 8 */
	FEED(&s, out, 0xE0, 0x2A, 0xE0, 0x48, 0xE0, 0xAA, 0x1E, 0x48);
	CHECK(strcmp(out, "\x1b[Aa8") == 0);
}

TEST(keymap_alt_prefixes_escape_and_unknown_codes_are_silent)
{
	struct kbd_state s = { 0 };
	char out[64];

	FEED(&s, out, 0x38, 0x30, 0xB8, 0x30);
	CHECK(strcmp(out, "\x1b" "bb") == 0);
	FEED(&s, out, 0x3B, 0x58, 0x54, 0x7F, 0xE0, 0x5B, 0x45);   /* F1 F12 … */
	CHECK_EQ(strlen(out), 0);
}
