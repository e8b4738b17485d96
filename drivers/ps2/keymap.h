/* Scan code set 1 (what the i8042 delivers with translation on, QEMU's
 * default) to the bytes a Linux console keyboard sends: US layout, shift,
 * caps lock, ctrl, alt as an ESC prefix, VT100 cursor keys. Pure: the host
 * unit tests drive it. */
#ifndef PS2_KEYMAP_H
#define PS2_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

#define KBD_MAX_BYTES 5

struct kbd_state {
	bool shift_left, shift_right, ctrl_left, ctrl_right, alt, caps_lock;
	bool extended;              /* an 0xE0 prefix came */
};

/* Feed one scan code; writes the bytes a key press produces to out and
 * returns how many (0 for releases, modifiers and keys without bytes). */
unsigned kbd_scancode(struct kbd_state *s, uint8_t code, char out[KBD_MAX_BYTES]);

#endif
