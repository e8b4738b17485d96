/* The PIT as a reference clock to calibrate the TSC and the LAPIC timer. */
#include <arch/cpu.h>
#include <arch/platform.h>

#define PIT_HZ 1193182u

uint64_t tsc_per_us;

void pit_wait_us(unsigned us)
{
	uint32_t ticks = (uint32_t)((uint64_t)PIT_HZ * us / 1000000);

	if (ticks > 0xFFFF)
		ticks = 0xFFFF;
	/* channel 2, gate via port 0x61, one-shot; poll OUT2 (bit 5) */
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xB0);
	outb(0x42, ticks & 0xFF);
	outb(0x42, ticks >> 8);
	uint8_t g = inb(0x61);
	outb(0x61, g & ~0x01);
	outb(0x61, g | 0x01);
	while (!(inb(0x61) & 0x20))
		cpu_relax();
}

void tsc_calibrate(void)
{
	uint64_t best = ~0ull;

	/* take the shortest of a few runs: TCG can be descheduled mid-way */
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = rdtsc();
		pit_wait_us(10000);
		uint64_t d = rdtsc() - t0;
		if (d < best)
			best = d;
	}
	tsc_per_us = best / 10000;
	if (!tsc_per_us)
		tsc_per_us = 1;
}

uint64_t time_ns(void)
{
	if (!tsc_per_us)
		return 0;
	/* the TSC starts at 0 when the machine resets: this is time since
	 * power-on, firmware and boot loader included */
	return rdtsc() * 1000 / tsc_per_us;
}
