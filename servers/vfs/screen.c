/*
 * tty1: the VGA text screen as a terminal, its input typed on the PS/2
 * keyboard (drivers/ps2 sends the bytes). The screen lives here, next to
 * the line discipline, so that echo and output are a local call; the
 * keyboard driver is the only other party and only ever calls the VFS.
 * The screen goes on below what the kernel logged until it was taken.
 */
#include "tty.h"
#include "vt.h"

#define SCREEN_RDEV ((4 << 8) | 1)      /* tty1 */
#define TEXT_PHYS 0xB8000
#define TEXT_VA   0x300000000ull        /* in the VFS's address space */
#define ROWS 25
#define COLS 80
#define CRTC_INDEX 0x3D4
#define CRTC_DATA  0x3D5
enum { CURSOR_START = 0x0A, CURSOR_HI = 0x0E, CURSOR_LO = 0x0F, CURSOR_OFF = 0x20 };

static struct tty screen;
static struct vt vt;
static bool present;

static uint8_t crtc_read(uint8_t reg)
{
	ts_outb(CRTC_INDEX, reg);
	return ts_inb(CRTC_DATA);
}

static void crtc_write(uint8_t reg, uint8_t v)
{
	ts_outb(CRTC_INDEX, reg);
	ts_outb(CRTC_DATA, v);
}

/* Port I/O is slow under emulation: once per write, not per character. */
static void show_cursor(void)
{
	unsigned pos = vt.row * COLS + vt.col;
	uint8_t start = crtc_read(CURSOR_START) & ~CURSOR_OFF;

	crtc_write(CURSOR_START, vt.cursor_visible ? start : start | CURSOR_OFF);
	crtc_write(CURSOR_LO, pos & 0xFF);
	crtc_write(CURSOR_HI, (uint8_t)(pos >> 8));
}

static void screen_output(struct tty *t, const char *s, size_t n)
{
	(void)t;
	vt_write(&vt, s, n);
	show_cursor();
}

void screen_init(int mmio_slot)
{
	if (mmio_slot < 0)
		return;
	long err = ts_mmio_map(mmio_slot, TEXT_PHYS, 0x1000, TEXT_VA);
	if (err) {
		ts_print("vfs: no screen: %ld", err);
		return;
	}
	unsigned pos = (unsigned)crtc_read(CURSOR_HI) << 8 | crtc_read(CURSOR_LO);
	vt_init(&vt, (volatile uint16_t *)TEXT_VA, ROWS, COLS, MIN(pos / COLS, ROWS - 1u),
		pos % COLS);
	tty_init(&screen, SCREEN_RDEV, screen_output);
	present = true;
}

struct tty *screen_tty(void)
{
	return present ? &screen : NULL;
}
