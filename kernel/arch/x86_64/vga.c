/* The 80x25 VGA text console: a second copy of the kernel log on screen,
 * until a process maps the screen (the VFS's terminal tty1); a panic takes
 * it back. */
#include <arch/cpu.h>
#include <arch/platform.h>
#include <mm.h>

#define VGA_TEXT_PHYS 0xB8000
#define COLS 80
#define ROWS 25
#define ATTR 0x07                   /* light grey on black */
#define TAB  8

#define CRTC_INDEX 0x3D4
#define CRTC_DATA  0x3D5
#define CRTC_CURSOR_HI 0x0E
#define CRTC_CURSOR_LO 0x0F

static volatile uint16_t *screen;
static bool handed_over;            /* a process owns the screen */
/* col may equal COLS: the wrap waits for the next character, so a line of
 * exactly 80 characters and its '\n' do not leave a blank line. */
static unsigned row, col;

static uint16_t cell(char c)
{
	return (uint16_t)(ATTR << 8 | (uint8_t)c);
}

static void clear_rows(unsigned from, unsigned to)
{
	for (unsigned i = from * COLS; i < to * COLS; i++)
		screen[i] = cell(' ');
}

static void scroll(void)
{
	for (unsigned i = 0; i < (ROWS - 1) * COLS; i++)
		screen[i] = screen[i + COLS];
	clear_rows(ROWS - 1, ROWS);
}

static void newline(void)
{
	col = 0;
	if (row == ROWS - 1)
		scroll();
	else
		row++;
}

static void move_cursor(void)
{
	unsigned pos = row * COLS + MIN(col, COLS - 1);

	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	outb(CRTC_DATA, pos & 0xFF);
	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	outb(CRTC_DATA, pos >> 8);
}

static void put(char c)
{
	switch (c) {
	case '\n':
		newline();
		break;
	case '\r':
		col = 0;
		break;
	case '\b':
		if (col)
			col--;
		break;
	case '\t':
		col = MIN((col + TAB) & ~(TAB - 1u), COLS);
		break;
	default:
		if (col == COLS)
			newline();
		screen[row * COLS + col++] = cell(c);
	}
}

void vga_init(void)
{
	screen = phys_to_virt(VGA_TEXT_PHYS);
	clear_rows(0, ROWS);
	row = col = 0;
	move_cursor();
}

void vga_device_mapped(uint64_t phys, uint64_t len)
{
	if (phys < VGA_TEXT_PHYS + ROWS * COLS * 2 && VGA_TEXT_PHYS < phys + len)
		handed_over = true;
}

/* The panic goes at the bottom of whatever the process left on screen. */
void vga_reclaim(void)
{
	if (!handed_over)
		return;
	handed_over = false;
	row = ROWS - 1;
	newline();
}

void vga_write(const char *s, size_t n)
{
	if (handed_over)
		return;
	for (size_t i = 0; i < n; i++)
		put(s[i]);
	/* port I/O is slow under emulation: once per write, not per character */
	move_cursor();
}
