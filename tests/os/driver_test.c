/*
 * Driver primitives, used the way a driver would, each with the capability
 * init gave it (module line: irq=8 ioport=0x70:2 mmio=0xfed00000:0x1000 dma):
 * the CMOS RTC's ports and its periodic interrupt as notifications, the
 * HPET's registers as device memory, and DMA memory with its physical address.
 */
#include "check.h"

enum { SLOT_IRQ = 1, SLOT_IOPORT, SLOT_MMIO, SLOT_DMA };   /* order init gives them */

#define RTC_INDEX 0x70
#define RTC_DATA  0x71
#define IRQ_BIT   3

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static uint8_t rtc_read(uint8_t reg)
{
	outb(RTC_INDEX, 0x80 | reg);     /* bit 7 keeps NMIs masked */
	return inb(RTC_DATA);
}

static void rtc_write(uint8_t reg, uint8_t v)
{
	outb(RTC_INDEX, 0x80 | reg);
	outb(RTC_DATA, v);
}

static void test_rtc_interrupts(void)
{
	struct ts_msg m;
	long ep = ts_ep_create();

	EXPECT_EQ(ts_ioport_enable(SLOT_IOPORT), 0);
	EXPECT_EQ(ts_irq_bind(SLOT_IRQ, ep, IRQ_BIT), 0);
	rtc_write(0x0A, (rtc_read(0x0A) & 0xF0) | 0x0A);   /* 64 Hz periodic */
	rtc_write(0x0B, rtc_read(0x0B) | 0x40);            /* periodic interrupt on */
	rtc_read(0x0C);
	int got = 0;
	for (int i = 0; i < 3; i++) {
		if (ts_recv_timeout(ep, &m, 2000000000ull) != 0)
			break;
		if (m.label == TS_LABEL_NOTIFY && m.word[0] == 1u << IRQ_BIT)
			got++;
		rtc_read(0x0C);                  /* the device's acknowledgement */
		EXPECT_EQ(ts_irq_ack(SLOT_IRQ), 0);
	}
	rtc_write(0x0B, rtc_read(0x0B) & ~0x40);
	EXPECT_EQ(got, 3);
}

static void test_device_memory(void)
{
	volatile uint64_t *hpet = (volatile uint64_t *)0x30000000;

	EXPECT_EQ(ts_mmio_map(SLOT_MMIO, 0xfed00000, 4096, 0x30000000), 0);
	uint64_t caps = hpet[0];
	EXPECT_EQ((caps >> 16) & 0xffff, 0x8086);       /* QEMU's HPET vendor id */
	EXPECT((caps >> 32) != 0);                       /* counter period, fs */
	/* outside the granted range, and RAM, are refused */
	EXPECT_EQ(ts_mmio_map(SLOT_MMIO, 0xfed01000, 4096, 0x30001000), -EPERM);
	EXPECT_EQ(ts_mmio_map(SLOT_MMIO, 0x100000, 4096, 0x30001000), -EPERM);
	EXPECT_EQ(ts_mmio_map(SLOT_MMIO, 0xfed00000, 100, 0x30001000), -EINVAL);
	/* device memory is not ours to share */
	EXPECT_EQ(ts_vm_share(TS_SELF, 0x30001000, (void *)hpet, 4096, TS_PROT_READ), -EFAULT);
}

static void test_dma(void)
{
	volatile uint32_t *va = (volatile uint32_t *)0x31000000;
	long pa = ts_dma_alloc(SLOT_DMA, 8192, 0x31000000);

	EXPECT(pa > 0 && (pa & 4095) == 0);
	va[0] = 0xdeadbeef;
	va[2047] = 0xfeedface;
	EXPECT(va[0] == 0xdeadbeef && va[2047] == 0xfeedface);
	/* shared, a DMA page is copied: the device's frame stays with us */
	volatile uint32_t *copy = (volatile uint32_t *)0x32000000;
	EXPECT_EQ(ts_vm_share(TS_SELF, 0x32000000, (void *)va, 4096,
			      TS_PROT_READ | TS_PROT_WRITE), 0);
	copy[0] = 1;
	EXPECT(va[0] == 0xdeadbeef);
	va[1] = 2;
	EXPECT(copy[1] == 0);
	EXPECT_EQ(ts_vm_unmap(TS_SELF, 0x32000000, 4096), 0);
	EXPECT_EQ(ts_dma_alloc(SLOT_DMA, 100, 0x32000000), -EINVAL);
	EXPECT_EQ(ts_dma_alloc(SLOT_IRQ, 4096, 0x32000000), -EBADF);
}

static void test_wrong_caps(void)
{
	EXPECT_EQ(ts_ioport_enable(SLOT_IRQ), -EBADF);
	EXPECT_EQ(ts_irq_bind(SLOT_IOPORT, SLOT_IOPORT, 0), -EBADF);
	EXPECT_EQ(ts_mmio_map(SLOT_DMA, 0xfed00000, 4096, 0x33000000), -EBADF);
	EXPECT_EQ(ts_cap_narrow(SLOT_IOPORT, 0x60, 1), -EPERM);   /* can only shrink */
	long sub = ts_cap_narrow(SLOT_IOPORT, 0x71, 1);
	EXPECT(sub > SLOT_DMA);
}

int main(void)
{
	test_rtc_interrupts();
	test_device_memory();
	test_dma();
	test_wrong_caps();
	return checks_done("driver_test");
}
