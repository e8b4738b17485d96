/*
 * The VFS server's main loop. Forwarded syscalls (labels below 0x200,
 * badge = pid) go to the path and descriptor calls; the process manager's
 * requests (include/tessera/proto/vfs.idl) manage tables across fork, exec
 * and exit; a keyboard driver's bytes (include/tessera/proto/tty.idl) go to
 * its terminal. Its module line grants the serial console's port first
 * (ioport=BASE:8, irq=N for input), optionally the screen (mmio=0xb8000:
 * 0x1000 and ioport 0x3d4:2 as the second range), and hands it the
 * initramfs module.
 */
#include "tty.h"
#include <proto/tty_server.h>
#include <proto/vfs_server.h>

#define INITRAMFS_AT 0x100000000ull

static uint64_t initramfs_base;
static struct fs root_fs = { .type = &rootfs_type };

static long load_root(const struct ts_startinfo *si)
{
	for (unsigned i = 0; i < si->module_count; i++) {
		if (strcmp(si->module[i].name, "initramfs"))
			continue;
		long size = ts_module_map(si->module[i].slot, INITRAMFS_AT);
		if (size < 0)
			return size;
		initramfs_base = INITRAMFS_AT;
		return ramfs_load((const uint8_t *)INITRAMFS_AT, size, root_fs.dev);
	}
	return ramfs_load(NULL, 0, root_fs.dev);    /* no initramfs: an empty root */
}

static long do_input(const struct tty_input_req *q, struct tty_input_rep *p)
{
	struct tty *t = q->minor == TTY_MINOR_SCREEN ? screen_tty() : NULL;

	(void)p;
	if (!t)
		return -ENXIO;
	if (!q->bytes_len)
		return -EINVAL;
	tty_input(t, (const char *)q->bytes, q->bytes_len);
	return 0;
}

static const struct tty_handlers tty_handlers = {
	.drop_cap = ts_cap_drop,
	.on_input = do_input,
};

/* The process manager's requests (vfs.idl) */
static long do_fork(const struct vfs_fork_req *q, struct vfs_fork_rep *p)
{
	(void)p;
	return vfs_fork(q->parent, q->child);
}

static long do_exec(const struct vfs_exec_req *q, struct vfs_exec_rep *p)
{
	(void)p;
	return vfs_exec(q->pid);
}

static long do_exit(const struct vfs_exit_req *q, struct vfs_exit_rep *p)
{
	(void)p;
	return vfs_exit(q->pid);
}

static long do_resolve_exec(const struct vfs_resolve_exec_req *q,
			    struct vfs_resolve_exec_rep *p)
{
	return vfs_resolve_exec(q, p, initramfs_base);
}

static long do_cancel(const struct vfs_cancel_req *q, struct vfs_cancel_rep *p)
{
	(void)p;
	return vfs_cancel(q->thread);
}

static long do_set_clock(const struct vfs_set_clock_req *q, struct vfs_set_clock_rep *p)
{
	(void)p;
	ramfs_set_clock(q->epoch_ns);
	return 0;
}

static const struct vfs_handlers vfs_handlers = {
	.drop_cap = ts_cap_drop,
	.on_fork = do_fork,
	.on_exec = do_exec,
	.on_exit = do_exit,
	.on_resolve_exec = do_resolve_exec,
	.on_cancel = do_cancel,
	.on_take_signals = vfs_take_signals,
	.on_read_exec = vfs_read_exec,
	.on_set_clock = do_set_clock,
	.on_set_cred = vfs_set_cred,
	.on_map_read = vfs_map_read,
	.on_file_name = vfs_file_name,
	.on_set_limits = vfs_set_limits,
};

/* A forwarded syscall's answer r (or a refusal), built in m; returns r. */
static long answer(struct ts_msg *m, long r)
{
	uint64_t reply = m->reply;

	idl_msg_init(m, (uint64_t)r);
	m->reply = reply;
	return r;
}

/* Requests from native peers (badge 0): the process manager, drivers; the
 * answer is built in m. */
static long native_request(struct ts_msg *m)
{
	if (m->badge) {
		if (m->cap != TS_NOCAP)
			ts_cap_drop(m->cap);
		return answer(m, -EPERM);
	}
	if (m->label < VFS_LABEL_END)
		return vfs_dispatch(&vfs_handlers, m, m);
	return tty_dispatch(&tty_handlers, m, m);
}

static long handle(struct ts_msg *m)
{
	if (m->label == TS_LABEL_NOTIFY) {
		serial_interrupt();
		return TS_NO_REPLY;
	}
	if (m->label >= VFS_LABEL_FIRST) {
		vfs_caller = &vfs_root;
		vfs_caller_limits = &vfs_no_limits;
		return native_request(m);
	}
	struct fdtable *t = fdtable_of((int)m->badge);
	vfs_caller = t ? &t->cred : &vfs_root;
	vfs_caller_limits = t ? &t->limits : &vfs_no_limits;
	procfs_serving((int)m->badge);
	long r = t ? vfs_path_call(t, m) : -ENOMEM;
	if (r == -ENOSYS)
		ts_print("ENOSYS %s (#%lu) pid %d", linux_syscall_name(m->label), m->label,
			 (int)m->badge);
	return r == TS_NO_REPLY ? r : answer(m, r);
}

/* The nearest time a poll or a terminal read (VTIME) waits for, or 0. */
static uint64_t next_deadline(void)
{
	uint64_t p = poll_next_deadline(), t = tty_next_deadline();

	return !p ? t : !t ? p : MIN(p, t);
}

/* Wait for the next request; answer pollers and terminal readers whose
 * time passes meanwhile. */
static long receive(uint32_t ep, struct ts_msg *m)
{
	for (;;) {
		uint64_t next = next_deadline(), now = ts_clock();
		long err = ts_recv_timeout(ep, m, next ? MAX(next, now + 1) - now : 0);
		if (err != -ETIMEDOUT)
			return err;
		poll_recheck();
		tty_expire();
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
	for (int i = 0; i < g.ioports; i++)
		ts_ioport_enable(g.ioport + i);
	const char *console = arg_value(si->args, "ioport") + 1;
	serial_init((uint16_t)arg_parse_number(&console), g.irq, ep);
	screen_init(g.mmio);
	root_fs.dev = fs_new_dev();
	long err = load_root(si);
	if (err)
		ts_print("cannot load the initramfs: %ld", err);
	if (!(root_fs.root = ramfs_root()))
		return 1;
	mount_init(&root_fs);
	devfs_init();
	procfs_init();
	if (receive(ep, &m))
		return 1;
	for (;;) {
		if (handle(&m) == TS_NO_REPLY) {
			if (receive(ep, &m))
				return 1;
			continue;
		}
		/* the answer is in m; with a deadline pending, receive with a timeout */
		long err = next_deadline() ? (ts_reply(&m), receive(ep, &m)) : ts_reply_recv(ep, &m);
		if (err)
			return 1;
	}
}
