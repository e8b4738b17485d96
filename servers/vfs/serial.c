/* ttyS0, also /dev/console: a 16550 serial port under the line discipline.
 * Input comes with its interrupt; output is written byte by byte. */
#include "tty.h"

#define SERIAL_RDEV ((4 << 8) | 64)     /* ttyS0 */

enum { DATA = 0, IER = 1, LSR = 5 };    /* registers */
enum { LSR_DATA_READY = 0x01, LSR_THR_EMPTY = 0x20, IER_RX = 0x01 };

static struct tty serial;
static uint16_t port;
static int irq_slot = -1;

static void serial_output(struct tty *t, const char *s, size_t n)
{
	(void)t;
	for (size_t i = 0; i < n; i++) {
		while (!(ts_inb(port + LSR) & LSR_THR_EMPTY))
			;
		ts_outb(port + DATA, (uint8_t)s[i]);
	}
}

/* Drain the receiver. The interrupt is an edge, masked until the ack, and
 * an IOAPIC ignores edges on a masked line (82093AA): unmask first, so
 * that a byte arriving after the last look at the receiver interrupts
 * again rather than wait for the next one. */
void serial_interrupt(void)
{
	char buf[64];
	size_t n;

	ts_irq_ack(irq_slot);
	do {
		for (n = 0; n < sizeof buf && ts_inb(port + LSR) & LSR_DATA_READY; n++)
			buf[n] = (char)ts_inb(port + DATA);
		if (n)
			tty_input(&serial, buf, n);
	} while (n == sizeof buf);
}

void serial_init(uint16_t base, int irq, uint32_t ep)
{
	enum { IRQ_BIT = 0 };

	port = base;
	irq_slot = irq;
	tty_init(&serial, SERIAL_RDEV, serial_output);
	/* ^C reaches the first program (pid 1) until a session takes the
	 * terminal (TIOCSCTTY: BusyBox init does it for its shells) */
	serial.foreground = 1;
	if (irq >= 0 && ts_irq_bind(irq, ep, IRQ_BIT) == 0)
		ts_outb(port + IER, IER_RX);
}

struct tty *serial_tty(void)
{
	return &serial;
}
