/* Interrupt lines delivered to user-space drivers as notifications. */
#include <arch/platform.h>
#include <arch/trapframe.h>
#include <cap.h>
#include <ipc.h>
#include <irq.h>
#include <log.h>
#include <tessera/errno.h>

struct irq_line {
	struct notify_target target;
	uint64_t count;
};

static struct irq_line lines[MAX_IRQ_LINES];
static unsigned nlines;

void irq_init(void)
{
	nlines = MIN(ioapic_max_gsi() + 1, MAX_IRQ_LINES);
	for (unsigned gsi = 0; gsi < nlines; gsi++)
		ioapic_route(gsi, VEC_IRQ_BASE + gsi, gsi >= 16);
}

unsigned irq_line_count(void)
{
	return nlines;
}

void irq_handle(unsigned gsi)
{
	struct irq_line *l = &lines[gsi];

	ioapic_mask(gsi, true);
	l->count++;
	notify_target_fire(&l->target);
}

static int irq_cap(uint64_t slot, struct irq_line **out, unsigned *gsi)
{
	struct cap *c;
	int err = cap_get(slot, TS_CAP_IRQ, 0, &c);

	if (err)
		return err;
	*gsi = c->base;
	if (*gsi >= nlines)
		return -EINVAL;
	*out = &lines[*gsi];
	return 0;
}

long sys_irq_bind(uint64_t irq_slot, uint64_t ep_slot, uint64_t bit)
{
	struct irq_line *l;
	unsigned gsi;
	int err = irq_cap(irq_slot, &l, &gsi);

	if (!err)
		err = notify_target_set(&l->target, ep_slot, bit);
	if (!err)
		ioapic_mask(gsi, false);
	return err;
}

long sys_irq_ack(uint64_t irq_slot)
{
	struct irq_line *l;
	unsigned gsi;
	int err = irq_cap(irq_slot, &l, &gsi);

	if (err)
		return err;
	if (!l->target.ep)
		return -EINVAL;
	ioapic_mask(gsi, false);
	return 0;
}
