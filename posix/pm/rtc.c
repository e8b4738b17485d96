/* The wall clock at boot, read once from the CMOS real-time clock (its
 * ports come with the module line's ioport=0x70:2). */
#include "pm.h"

static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }

static unsigned cmos(uint8_t reg, bool bcd)
{
	outb(0x70, 0x80 | reg);
	uint8_t v = inb(0x71);
	return bcd ? (v >> 4) * 10 + (v & 15) : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t rtc_epoch_seconds(int ioport_slot)
{
	if (ioport_slot < 0 || ts_ioport_enable(ioport_slot))
		return 0;
	while (cmos(0x0A, false) & 0x80)      /* update in progress */
		;
	bool bcd = !(cmos(0x0B, false) & 0x04);
	unsigned s = cmos(0x00, bcd), mi = cmos(0x02, bcd), h = cmos(0x04, bcd);
	unsigned d = cmos(0x07, bcd), mo = cmos(0x08, bcd), y = cmos(0x09, bcd);
	return days_from_civil(2000 + y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}
