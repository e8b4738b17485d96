/*
 * The PS/2 keyboard driver: a user process with the i8042's ports
 * (ioport=0x60:5) and its interrupt (irq=1). Each interrupt's scan codes
 * become bytes (keymap.c) that go to the VFS's screen terminal (tty1),
 * whose line discipline echoes and signals. The driver only ever calls the
 * VFS, which never calls it: no cycle.
 */
#include <tessera.h>
#include <proto/tty_client.h>
#include "keymap.h"

#define DATA   0x60
#define STATUS 0x64             /* read: status; write: command */
enum { OUTPUT_FULL = 0x01, INPUT_FULL = 0x02, FROM_MOUSE = 0x20 };
enum { READ_CONFIG = 0x20, WRITE_CONFIG = 0x60 };
enum { CONFIG_KBD_IRQ = 0x01, CONFIG_KBD_CLOCK_OFF = 0x10, CONFIG_TRANSLATE = 0x40 };

static void wait_writable(void)
{
	for (int i = 0; i < 100000 && ts_inb(STATUS) & INPUT_FULL; i++)
		;
}

static uint8_t read_data(void)
{
	for (int i = 0; i < 100000 && !(ts_inb(STATUS) & OUTPUT_FULL); i++)
		;
	return ts_inb(DATA);
}

/* Interrupts on, clock on, translation to set 1 on (firmware usually has
 * it so already); stale bytes dropped. */
static void controller_init(void)
{
	while (ts_inb(STATUS) & OUTPUT_FULL)
		ts_inb(DATA);
	wait_writable();
	ts_outb(STATUS, READ_CONFIG);
	uint8_t config = read_data();
	config = (uint8_t)((config | CONFIG_KBD_IRQ | CONFIG_TRANSLATE) & ~CONFIG_KBD_CLOCK_OFF);
	wait_writable();
	ts_outb(STATUS, WRITE_CONFIG);
	wait_writable();
	ts_outb(DATA, config);
}

static void send(uint32_t vfs, const char *bytes, unsigned n)
{
	long err = tty_input_call(vfs, TTY_MINOR_SCREEN, bytes, n);

	if (err)
		ts_print("ps2: input lost: %ld", err);
}

/* The scan codes waiting now, as bytes; sent in message-sized pieces. */
static void drain(struct kbd_state *kbd, uint32_t vfs)
{
	char bytes[TTY_INPUT_MAX];
	unsigned n = 0;
	uint8_t status;

	while ((status = ts_inb(STATUS)) & OUTPUT_FULL) {
		uint8_t code = ts_inb(DATA);
		if (status & FROM_MOUSE)
			continue;
		if (n + KBD_MAX_BYTES > sizeof bytes) {
			send(vfs, bytes, n);
			n = 0;
		}
		n += kbd_scancode(kbd, code, bytes + n);
	}
	if (n)
		send(vfs, bytes, n);
}

int main(const struct ts_startinfo *si)
{
	enum { IRQ_BIT = 0 };
	struct ts_given g;
	struct kbd_state kbd = { 0 };
	struct ts_msg m;
	long ep = ts_ep_create();

	ts_given_caps(si->args, &g);
	if (ep < 0 || g.irq < 0 || g.ioport < 0 || ts_ioport_enable(g.ioport)) {
		ts_print("ps2: needs irq=1 and ioport=0x60:5");
		return 1;
	}
	long vfs = names_lookup("vfs", true);
	if (vfs < 0 || ts_irq_bind(g.irq, ep, IRQ_BIT))
		return 1;
	controller_init();
	/* unmask before draining: an IOAPIC ignores edges on a masked line,
	 * so a scan code arriving after the last look would wait for the next */
	for (;;) {
		if (ts_recv(ep, &m))
			return 1;
		ts_irq_ack(g.irq);
		drain(&kbd, vfs);
	}
}
