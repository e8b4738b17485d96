/* Local APIC: end-of-interrupt and the calibrated preemption timer. */
#include <arch/cpu.h>
#include <arch/platform.h>
#include <arch/trapframe.h>
#include <log.h>
#include <mm.h>

#define LAPIC_ID      0x020
#define LAPIC_EOI     0x0B0
#define LAPIC_SVR     0x0F0
#define LAPIC_LVT_TMR 0x320
#define LAPIC_TMR_INIT 0x380
#define LAPIC_TMR_CUR 0x390
#define LAPIC_TMR_DIV 0x3E0
#define TMR_PERIODIC  (1u << 17)
#define LVT_MASKED    (1u << 16)

static volatile uint32_t *lapic;

static uint32_t rd(unsigned reg) { return lapic[reg / 4]; }
static void wr(unsigned reg, uint32_t v) { lapic[reg / 4] = v; }

void lapic_init(void)
{
	lapic = phys_to_virt(acpi.lapic_phys);
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11));
	wr(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
}

uint32_t lapic_id(void)
{
	return rd(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	wr(LAPIC_EOI, 0);
}

/* Count LAPIC timer ticks (divide by 16) during 10 ms of PIT time. */
static uint32_t ticks_per_10ms(void)
{
	wr(LAPIC_TMR_DIV, 0x3);
	wr(LAPIC_LVT_TMR, LVT_MASKED | VEC_TIMER);
	wr(LAPIC_TMR_INIT, 0xFFFFFFFF);
	pit_wait_us(10000);
	uint32_t elapsed = 0xFFFFFFFF - rd(LAPIC_TMR_CUR);
	wr(LAPIC_TMR_INIT, 0);
	return elapsed;
}

void lapic_timer_start(unsigned hz)
{
	uint32_t t = ticks_per_10ms();
	uint32_t count = (uint32_t)((uint64_t)t * 100 / hz);

	klog("lapic: timer %u ticks per 10 ms, %u Hz", t, hz);
	wr(LAPIC_TMR_DIV, 0x3);
	wr(LAPIC_LVT_TMR, TMR_PERIODIC | VEC_TIMER);
	wr(LAPIC_TMR_INIT, count ? count : 1);
}
