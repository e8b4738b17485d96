/*
 * reboot(2): power the machine off or restart it. Halting leaves nothing useful running in a virtual machine, so a
 * halt powers off too. Every process is root, so the caller may.
 */
#include "pm.h"

#define MAGIC1            0xfee1deadu
#define RB_RESTART        0x01234567u
#define RB_HALT_SYSTEM    0xcdef0123u
#define RB_POWER_OFF      0x4321fedcu
#define RB_ENABLE_CAD     0x89abcdefu
#define RB_DISABLE_CAD    0u

static int system_slot = -1;

void pm_reboot_init(int system)
{
	system_slot = system;
}

static bool magic2_valid(uint32_t m)
{
	return m == 672274793u || m == 85072278u || m == 369367448u || m == 537993216u;
}

long pm_reboot(struct pproc *p, struct ts_msg *m)
{
	uint32_t cmd = (uint32_t)m->word[2];

	(void)p;
	if ((uint32_t)m->word[0] != MAGIC1 || !magic2_valid((uint32_t)m->word[1]))
		return -EINVAL;
	switch (cmd) {
	case RB_ENABLE_CAD:
	case RB_DISABLE_CAD:
		/* no key combination reaches init yet: nothing depends on it */
		return 0;
	case RB_HALT_SYSTEM:
	case RB_POWER_OFF:
		ts_print("reboot: Power down");
		return ts_poweroff((uint32_t)system_slot, 0);
	case RB_RESTART:
		ts_print("reboot: Restarting system");
		return ts_reboot((uint32_t)system_slot);
	default:
		return -EINVAL;
	}
}
