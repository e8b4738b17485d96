/* Interrupts as messages: a line bound to an endpoint raises a notification
 * bit there and stays masked until the driver acknowledges it. */
#ifndef IRQ_H
#define IRQ_H

#include <stdint.h>

#define MAX_IRQ_LINES 24

void irq_init(void);
/* Called from the trap handler for a device interrupt on gsi. */
void irq_handle(unsigned gsi);
unsigned irq_line_count(void);

long sys_irq_bind(uint64_t irq_slot, uint64_t ep_slot, uint64_t bit);
long sys_irq_ack(uint64_t irq_slot);

#endif
