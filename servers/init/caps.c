/* The capabilities a module line asks for, narrowed and given. */
#include "init.h"

/* "key=BASE:LEN[,BASE:LEN…]" -> a narrowed copy of range cap slot given
 * to p for each range, in order. */
static long give_range(uint32_t p, uint32_t slot, const char *args, const char *key)
{
	const char *s = arg_value(args, key);
	long err = 0;

	if (!s)
		return 0;
	if (*s != '=')
		return -EINVAL;
	while (err >= 0 && (*s == '=' || *s == ',')) {
		s++;
		long base = arg_parse_number(&s);
		if (*s++ != ':')
			return -EINVAL;
		long len = arg_parse_number(&s);
		long narrow = ts_cap_narrow(slot, base, len);
		if (narrow < 0)
			return narrow;
		err = ts_cap_give(p, narrow, TS_RIGHTS_ALL, 0);
		ts_cap_delete(narrow);
	}
	return err;
}

/* "spawn[=PRIO]": create processes with priorities 1..PRIO (without a
 * number, the servers' priority). */
static long give_spawn(const struct ts_bootinfo *bi, uint32_t p, const char *args)
{
	if (!arg_flag(args, "spawn"))
		return 0;
	long narrow = ts_cap_narrow(bi->spawn_slot, 1, arg_number(args, "spawn", 10));
	if (narrow < 0)
		return narrow;
	long err = ts_cap_give(p, narrow, TS_RIGHTS_ALL, 0);
	ts_cap_delete(narrow);
	return err;
}

long give_authority(const struct ts_bootinfo *bi, uint32_t p, const char *args)
{
	long err = 0;

	if (arg_flag(args, "system"))
		err = ts_cap_give(p, bi->system_slot, TS_RIGHTS_ALL, 0);
	if (err >= 0)
		err = give_spawn(bi, p, args);
	if (err >= 0 && arg_flag(args, "log"))
		err = ts_cap_give(p, bi->log_slot, TS_RIGHTS_ALL, 0);
	return err;
}

long give_module_caps(const struct ts_bootinfo *bi, uint32_t p, const char *args)
{
	long err = 0, irq = arg_number(args, "irq", -1);

	if (irq >= 0)
		err = irq < bi->irq_count
			? ts_cap_give(p, bi->irq_first_slot + irq, TS_RIGHTS_ALL, 0) : -EINVAL;
	if (err >= 0)
		err = give_range(p, bi->ioport_slot, args, "ioport");
	if (err >= 0)
		err = give_range(p, bi->mmio_slot, args, "mmio");
	if (err >= 0 && arg_flag(args, "dma"))
		err = ts_cap_give(p, bi->dma_slot, TS_RIGHTS_ALL, 0);
	return err;
}
