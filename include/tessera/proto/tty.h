/* Terminal input protocol (labels 0x400-0x4ff): a keyboard driver hands
 * the VFS, which owns the terminals and their line discipline, the bytes
 * its keys produced. The VFS never calls a driver, so the driver may block
 * in this call without risk of a cycle. */
#ifndef TESSERA_PROTO_TTY_H
#define TESSERA_PROTO_TTY_H

#include <stdint.h>
#include <tessera/abi.h>

enum tty_label {
	/* word[0] = the terminal's minor number (TTY_MINOR_SCREEN),
	 * word[1] = count (1..TTY_INPUT_MAX), word[2..5] = the bytes
	 * <- 0, -ENXIO (no such terminal) or -EINVAL (bad count) */
	TTY_INPUT = 0x400,
};

#define TTY_INPUT_MAX 32u
/* tty1 (4:1), the screen and keyboard terminal */
#define TTY_MINOR_SCREEN 1u

static inline void tty_input_pack(struct ts_msg *m, unsigned minor, const char *bytes,
				  unsigned n)
{
	char *dst = (char *)&m->word[2];

	m->label = TTY_INPUT;
	m->word[0] = minor;
	m->word[1] = n;
	for (unsigned i = 0; i < TTY_INPUT_MAX; i++)
		dst[i] = i < n ? bytes[i] : 0;
}

/* The count, or 0 if it is out of range. */
static inline unsigned tty_input_unpack(const struct ts_msg *m, char out[TTY_INPUT_MAX])
{
	const char *src = (const char *)&m->word[2];
	unsigned n = m->word[1] <= TTY_INPUT_MAX ? (unsigned)m->word[1] : 0;

	for (unsigned i = 0; i < n; i++)
		out[i] = src[i];
	return n;
}

#endif
