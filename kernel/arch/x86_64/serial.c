/* COM1 at 115200 8N1: the kernel log and the test harness's console. */
#include <arch/cpu.h>
#include <arch/platform.h>

#define COM1 0x3F8

void serial_init(void)
{
	outb(COM1 + 1, 0x00);   /* no interrupts: the kernel polls */
	outb(COM1 + 3, 0x80);   /* DLAB */
	outb(COM1 + 0, 0x01);   /* divisor 1 = 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);   /* 8N1 */
	outb(COM1 + 2, 0xC7);   /* FIFO on, cleared */
	outb(COM1 + 4, 0x0B);
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		cpu_relax();
	outb(COM1, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

int serial_getc(void)
{
	if (!(inb(COM1 + 5) & 0x01))
		return -1;
	return inb(COM1);
}

void qemu_exit(uint8_t code)
{
	outb(0xF4, code);      /* isa-debug-exit, iobase 0xf4 */
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}
