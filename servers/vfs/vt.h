/* A VT100/ANSI terminal emulator over a text-mode cell buffer (a VGA
 * text screen: character in the low byte, attribute in the high byte).
 * Pure: the host unit tests run it over an array. */
#ifndef VT_H
#define VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VT_MAX_PARAMS 8

struct vt {
	volatile uint16_t *cells;  /* rows * cols */
	unsigned rows, cols;
	unsigned row, col;
	bool wrap_pending;          /* col is past the last column */
	uint8_t fg, bg;             /* ANSI colour numbers 0..7 */
	bool bold, reverse, cursor_visible;
	unsigned top, bottom;       /* scrolling region, inclusive */
	unsigned saved_row, saved_col;
	uint8_t saved_fg, saved_bg;
	bool saved_bold, saved_reverse;
	/* escape sequence parser */
	/* ESC ( x designates a character set: x is skipped */
	enum { VT_GROUND, VT_ESC, VT_CSI, VT_CHARSET } state;
	bool private_mode;          /* CSI ? … */
	unsigned params[VT_MAX_PARAMS], nparams;
};

/* Start at (row, col) on a screen that keeps what it shows. */
void vt_init(struct vt *vt, volatile uint16_t *cells, unsigned rows, unsigned cols,
	     unsigned row, unsigned col);
void vt_write(struct vt *vt, const char *s, size_t n);

#endif
