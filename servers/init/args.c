/* Module-line arguments, and the capabilities init derives from them. */
#include "init.h"

/* Find key in args as a whole word or as "key=..."; returns what follows. */
static const char *find_key(const char *args, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = args; *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, n) && (p[n] == 0 || p[n] == ' ' || p[n] == '='))
			return p + n;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool arg_flag(const char *args, const char *word)
{
	return find_key(args, word) != NULL;
}

static long parse_number(const char **s)
{
	const char *p = *s;
	unsigned base = 10;
	long v = 0;

	if (p[0] == '0' && p[1] == 'x')
		base = 16, p += 2;
	for (;; p++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else
			break;
		v = v * base + d;
	}
	*s = p;
	return v;
}

long arg_number(const char *args, const char *key, long def)
{
	const char *p = find_key(args, key);

	if (!p || *p != '=')
		return def;
	p++;
	return parse_number(&p);
}

/* "key=BASE:LEN" -> a narrowed copy of range cap slot given to p. */
static long give_range(uint32_t p, uint32_t slot, const char *args, const char *key)
{
	const char *s = find_key(args, key);

	if (!s)
		return 0;
	if (*s++ != '=')
		return -EINVAL;
	long base = parse_number(&s);
	if (*s++ != ':')
		return -EINVAL;
	long len = parse_number(&s);
	long narrow = ts_cap_narrow(slot, base, len);
	if (narrow < 0)
		return narrow;
	long err = ts_cap_give(p, narrow, TS_RIGHTS_ALL, 0);
	ts_cap_delete(narrow);
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
