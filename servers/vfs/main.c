/*
 * The VFS server's main loop: descriptor calls go to fd.c; path calls find
 * no file yet (there is no filesystem mounted). The console is the serial
 * port its module line grants (ioport=BASE:8 irq=N).
 */
#include "vfs.h"

static long path_call(struct fdtable *t, struct ts_msg *m)
{
	static const char root[] = "/";

	(void)t;
	switch (m->label) {
	case NR_open: case NR_openat: case NR_stat: case NR_lstat:
	case NR_newfstatat: case NR_access: case NR_faccessat:
		return -ENOENT;         /* no filesystem is mounted yet */
	case NR_getcwd:
		if (m->word[1] < sizeof root)
			return -ERANGE;
		return to_caller(m, m->word[0], root, sizeof root) ? -EFAULT : (long)sizeof root;
	case NR_chdir:
		return -ENOENT;
	default:
		return vfs_fd_call(t, m);
	}
}

int main(const struct ts_startinfo *si)
{
	struct ts_given g;
	struct ts_msg m;
	long ep = ts_ep_create();

	ts_given_caps(si->args, &g);
	if (ep < 0 || g.ioport < 0 || names_register("vfs", ep) < 0)
		return 1;
	const char *console = arg_value(si->args, "ioport");
	console++;
	console_init((uint16_t)arg_parse_number(&console), g.ioport, g.irq, ep);
	if (ts_recv(ep, &m))
		return 1;
	for (;;) {
		long r;
		if (m.label == TS_LABEL_NOTIFY) {
			console_interrupt();
			r = TS_NO_REPLY;
		} else {
			struct fdtable *t = fdtable_of((int)m.badge);
			r = t ? path_call(t, &m) : -ENOMEM;
			if (r == -ENOSYS)
				ts_print("ENOSYS #%lu pid %lu", m.label, m.badge);
		}
		if (r == TS_NO_REPLY) {
			if (ts_recv(ep, &m))
				return 1;
			continue;
		}
		uint64_t reply = m.reply;
		m = ts_msg_make((uint64_t)r);
		m.reply = reply;
		if (ts_reply_recv(ep, &m))
			return 1;
	}
}
