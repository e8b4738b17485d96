/* The terminal emulator (see vt.h): the part of the Linux console's
 * VT100/ECMA-48 set that BusyBox's line editing, vi and top use. */
#include "vt.h"

#define TAB 8
#define PARAM_MAX 9999

/* ANSI colour numbers to the VGA's (red and blue, yellow and cyan swap) */
static const uint8_t vga_colour[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

static uint8_t attr(const struct vt *vt)
{
	uint8_t fg = vga_colour[vt->fg], bg = vga_colour[vt->bg];

	if (vt->reverse) {
		uint8_t t = fg;
		fg = bg, bg = t;
	}
	return (uint8_t)(bg << 4 | fg | (vt->bold ? 8 : 0));
}

static uint16_t blank(const struct vt *vt)
{
	return (uint16_t)(attr(vt) << 8 | ' ');
}

static void clear_cells(struct vt *vt, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++)
		vt->cells[i] = blank(vt);
}

static void copy_row(struct vt *vt, unsigned to, unsigned from)
{
	for (unsigned c = 0; c < vt->cols; c++)
		vt->cells[to * vt->cols + c] = vt->cells[from * vt->cols + c];
}

/* Rows top..bottom move up n; blank rows come in at the bottom. */
static void scroll_up(struct vt *vt, unsigned top, unsigned bottom, unsigned n)
{
	n = n > bottom - top + 1 ? bottom - top + 1 : n;
	for (unsigned r = top; r + n <= bottom; r++)
		copy_row(vt, r, r + n);
	clear_cells(vt, (bottom + 1 - n) * vt->cols, (bottom + 1) * vt->cols);
}

static void scroll_down(struct vt *vt, unsigned top, unsigned bottom, unsigned n)
{
	n = n > bottom - top + 1 ? bottom - top + 1 : n;
	for (unsigned r = bottom; r >= top + n; r--)
		copy_row(vt, r, r - n);
	clear_cells(vt, top * vt->cols, (top + n) * vt->cols);
}

static void line_feed(struct vt *vt)
{
	if (vt->row == vt->bottom)
		scroll_up(vt, vt->top, vt->bottom, 1);
	else if (vt->row < vt->rows - 1)
		vt->row++;
}

static void reverse_index(struct vt *vt)
{
	if (vt->row == vt->top)
		scroll_down(vt, vt->top, vt->bottom, 1);
	else if (vt->row)
		vt->row--;
}

static void move_to(struct vt *vt, long row, long col)
{
	vt->row = row < 0 ? 0 : row >= (long)vt->rows ? vt->rows - 1 : (unsigned)row;
	vt->col = col < 0 ? 0 : col >= (long)vt->cols ? vt->cols - 1 : (unsigned)col;
	vt->wrap_pending = false;
}

static void put_char(struct vt *vt, char c)
{
	if (vt->wrap_pending) {
		vt->col = 0;
		vt->wrap_pending = false;
		line_feed(vt);
	}
	vt->cells[vt->row * vt->cols + vt->col] = (uint16_t)(attr(vt) << 8 | (uint8_t)c);
	if (vt->col == vt->cols - 1)
		vt->wrap_pending = true;
	else
		vt->col++;
}

static void save_cursor(struct vt *vt)
{
	vt->saved_row = vt->row, vt->saved_col = vt->col;
	vt->saved_fg = vt->fg, vt->saved_bg = vt->bg;
	vt->saved_bold = vt->bold, vt->saved_reverse = vt->reverse;
}

static void restore_cursor(struct vt *vt)
{
	move_to(vt, vt->saved_row, vt->saved_col);
	vt->fg = vt->saved_fg, vt->bg = vt->saved_bg;
	vt->bold = vt->saved_bold, vt->reverse = vt->saved_reverse;
}

static void reset_attributes(struct vt *vt)
{
	vt->fg = 7, vt->bg = 0;
	vt->bold = vt->reverse = false;
}

static void reset(struct vt *vt)
{
	reset_attributes(vt);
	vt->top = 0, vt->bottom = vt->rows - 1;
	vt->cursor_visible = true;
	clear_cells(vt, 0, vt->rows * vt->cols);
	move_to(vt, 0, 0);
	save_cursor(vt);
}

void vt_init(struct vt *vt, volatile uint16_t *cells, unsigned rows, unsigned cols,
	     unsigned row, unsigned col)
{
	*vt = (struct vt){ .cells = cells, .rows = rows, .cols = cols, .bottom = rows - 1,
			   .cursor_visible = true };
	reset_attributes(vt);
	move_to(vt, row, col);
	save_cursor(vt);
}

/* Parameter i, or def when absent or 0 */
static unsigned param(const struct vt *vt, unsigned i, unsigned def)
{
	return i < vt->nparams && vt->params[i] ? vt->params[i] : def;
}

static void select_graphic_rendition(struct vt *vt)
{
	if (!vt->nparams)
		reset_attributes(vt);
	for (unsigned i = 0; i < vt->nparams; i++) {
		unsigned p = vt->params[i];
		if (p == 0)
			reset_attributes(vt);
		else if (p == 1)
			vt->bold = true;
		else if (p == 22)
			vt->bold = false;
		else if (p == 7)
			vt->reverse = true;
		else if (p == 27)
			vt->reverse = false;
		else if (p >= 30 && p <= 37)
			vt->fg = (uint8_t)(p - 30);
		else if (p == 39)
			vt->fg = 7;
		else if (p >= 40 && p <= 47)
			vt->bg = (uint8_t)(p - 40);
		else if (p == 49)
			vt->bg = 0;
		else if (p >= 90 && p <= 97)
			vt->fg = (uint8_t)(p - 90), vt->bold = true;
	}
}

static void erase_display(struct vt *vt)
{
	unsigned at = vt->row * vt->cols + vt->col, end = vt->rows * vt->cols;

	switch (param(vt, 0, 0)) {
	case 0: clear_cells(vt, at, end); break;
	case 1: clear_cells(vt, 0, at + 1); break;
	default: clear_cells(vt, 0, end); break;
	}
}

static void erase_line(struct vt *vt)
{
	unsigned start = vt->row * vt->cols, at = start + vt->col;

	switch (param(vt, 0, 0)) {
	case 0: clear_cells(vt, at, start + vt->cols); break;
	case 1: clear_cells(vt, start, at + 1); break;
	default: clear_cells(vt, start, start + vt->cols); break;
	}
}

/* Characters from the cursor on move right (insert) or left (delete) by n
 * within the line; blanks fill the gap. */
static void shift_chars(struct vt *vt, unsigned n, bool insert)
{
	unsigned start = vt->row * vt->cols, left = vt->cols - vt->col;

	n = n > left ? left : n;
	for (unsigned i = 0; i < left - n; i++) {
		unsigned k = insert ? left - n - 1 - i : i;
		unsigned from = insert ? k : k + n, to = insert ? k + n : k;
		vt->cells[start + vt->col + to] = vt->cells[start + vt->col + from];
	}
	unsigned gap = insert ? vt->col : vt->cols - n;
	clear_cells(vt, start + gap, start + gap + n);
}

static void lines(struct vt *vt, unsigned n, bool insert)
{
	if (vt->row < vt->top || vt->row > vt->bottom)
		return;
	if (insert)
		scroll_down(vt, vt->row, vt->bottom, n);
	else
		scroll_up(vt, vt->row, vt->bottom, n);
	vt->col = 0, vt->wrap_pending = false;
}

static void set_region(struct vt *vt)
{
	unsigned top = param(vt, 0, 1) - 1, bottom = param(vt, 1, vt->rows) - 1;

	if (top < bottom && bottom < vt->rows) {
		vt->top = top, vt->bottom = bottom;
		move_to(vt, 0, 0);
	}
}

static void private_mode(struct vt *vt, char final)
{
	for (unsigned i = 0; i < vt->nparams; i++)
		if (vt->params[i] == 25 && (final == 'h' || final == 'l'))
			vt->cursor_visible = final == 'h';
}

static void csi_dispatch(struct vt *vt, char final)
{
	long n = param(vt, 0, 1), row = vt->row, col = vt->col;

	if (vt->private_mode) {
		private_mode(vt, final);
		return;
	}
	switch (final) {
	case 'A': move_to(vt, row - n, col); break;
	case 'B': case 'e': move_to(vt, row + n, col); break;
	case 'C': case 'a': move_to(vt, row, col + n); break;
	case 'D': move_to(vt, row, col - n); break;
	case 'E': move_to(vt, row + n, 0); break;
	case 'F': move_to(vt, row - n, 0); break;
	case 'G': case '`': move_to(vt, row, n - 1); break;
	case 'd': move_to(vt, n - 1, col); break;
	case 'H': case 'f': move_to(vt, n - 1, (long)param(vt, 1, 1) - 1); break;
	case 'J': erase_display(vt); break;
	case 'K': erase_line(vt); break;
	case 'L': lines(vt, (unsigned)n, true); break;
	case 'M': lines(vt, (unsigned)n, false); break;
	case '@': shift_chars(vt, (unsigned)n, true); break;
	case 'P': shift_chars(vt, (unsigned)n, false); break;
	case 'X': {
		unsigned at = vt->row * vt->cols + vt->col, left = vt->cols - vt->col;
		clear_cells(vt, at, at + ((unsigned)n < left ? (unsigned)n : left));
		break;
	}
	case 'm': select_graphic_rendition(vt); break;
	case 'r': set_region(vt); break;
	case 's': save_cursor(vt); break;
	case 'u': restore_cursor(vt); break;
	default: break;             /* modes, status reports: ignored */
	}
}

static void csi_byte(struct vt *vt, char c)
{
	if (c >= '0' && c <= '9') {
		if (!vt->nparams)
			vt->nparams = 1;
		unsigned *p = &vt->params[vt->nparams - 1];
		*p = *p >= PARAM_MAX / 10 ? PARAM_MAX : *p * 10 + (unsigned)(c - '0');
	} else if (c == ';') {
		if (!vt->nparams)
			vt->nparams = 1;
		if (vt->nparams < VT_MAX_PARAMS)
			vt->params[vt->nparams++] = 0;
	} else if (c == '?' || c == '>' || c == '=') {
		vt->private_mode = true;
	} else if (c >= 0x40 && c <= 0x7e) {
		vt->state = VT_GROUND;
		csi_dispatch(vt, c);
	}
}

static void esc_byte(struct vt *vt, char c)
{
	vt->state = VT_GROUND;
	switch (c) {
	case '[':
		vt->state = VT_CSI;
		vt->nparams = 0;
		vt->private_mode = false;
		for (unsigned i = 0; i < VT_MAX_PARAMS; i++)
			vt->params[i] = 0;
		break;
	case '(': case ')': vt->state = VT_CHARSET; break;
	case '7': save_cursor(vt); break;
	case '8': restore_cursor(vt); break;
	case 'c': reset(vt); break;
	case 'D': line_feed(vt); break;
	case 'E': vt->col = 0, vt->wrap_pending = false, line_feed(vt); break;
	case 'M': reverse_index(vt); break;
	default: break;
	}
}

static void control(struct vt *vt, char c)
{
	switch (c) {
	case '\r':
		vt->col = 0, vt->wrap_pending = false;
		break;
	case '\n': case '\v': case '\f':    /* the tty's ONLCR adds the \r */
		vt->wrap_pending = false;
		line_feed(vt);
		break;
	case '\b':
		if (vt->col)
			vt->col--;
		vt->wrap_pending = false;
		break;
	case '\t':
		move_to(vt, vt->row, (vt->col / TAB + 1) * TAB);
		break;
	case '\x1b':
		vt->state = VT_ESC;
		break;
	case 0x18: case 0x1a:           /* CAN and SUB cancel a sequence */
		vt->state = VT_GROUND;
		break;
	default:                    /* BEL and the rest: nothing to show */
		break;
	}
}

void vt_write(struct vt *vt, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (vt->state == VT_ESC)
			esc_byte(vt, c);
		else if (vt->state == VT_CHARSET)
			vt->state = VT_GROUND;
		else if (vt->state == VT_CSI && (unsigned char)c >= 0x20)
			csi_byte(vt, c);
		else if ((unsigned char)c < 0x20 || c == 0x7f)
			control(vt, c);
		else
			put_char(vt, c);
	}
}
