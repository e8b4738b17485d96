/* Module-line arguments ("word word key=value …"), as init reads them for
 * every module and each server reads its own from its start info. */
#include <tessera.h>

/* Find key in args as a whole word or as "key=..."; returns what follows. */
const char *arg_value(const char *args, const char *key)
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
	return arg_value(args, word) != NULL;
}

long arg_parse_number(const char **s)
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
	const char *p = arg_value(args, key);

	if (!p || *p != '=')
		return def;
	p++;
	return arg_parse_number(&p);
}

/* How many ranges "key=BASE:LEN[,BASE:LEN…]" lists. */
static int range_count(const char *args, const char *key)
{
	const char *s = arg_value(args, key);
	int n = s ? 1 : 0;

	while (s && *s && *s != ' ')
		n += *s++ == ',';
	return n;
}

void ts_given_caps(const char *args, struct ts_given *g)
{
	int next = TS_SLOT_NAMES + 1;

	g->irq = arg_value(args, "irq") ? next++ : -1;
	g->ioports = range_count(args, "ioport");
	g->ioport = g->ioports ? next : -1;
	next += g->ioports;
	g->mmios = range_count(args, "mmio");
	g->mmio = g->mmios ? next : -1;
	next += g->mmios;
	g->dma = arg_flag(args, "dma") ? next++ : -1;
	g->system = arg_flag(args, "system") ? next++ : -1;
	g->spawn = arg_flag(args, "spawn") ? next++ : -1;
	g->log = arg_flag(args, "log") ? next++ : -1;
}
