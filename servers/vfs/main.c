/*
 * The VFS server's main loop. Forwarded syscalls (labels below 0x200,
 * badge = pid) go to the path and descriptor calls; the process manager's
 * requests (include/tessera/proto/vfs.h) manage tables across fork, exec
 * and exit; a keyboard driver's bytes (include/tessera/proto/tty.h) go to
 * its terminal. Its module line grants the serial console's port first
 * (ioport=BASE:8, irq=N for input), optionally the screen (mmio=0xb8000:
 * 0x1000 and ioport 0x3d4:2 as the second range), and hands it the
 * initramfs module.
 */
#include "tty.h"
#include <tessera/proto/tty.h>
#include <tessera/proto/vfs.h>

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

static long keyboard_input(const struct ts_msg *m)
{
	char bytes[TTY_INPUT_MAX];
	unsigned n = tty_input_unpack(m, bytes);
	struct tty *t = m->word[0] == TTY_MINOR_SCREEN ? screen_tty() : NULL;

	if (!t)
		return -ENXIO;
	if (!n)
		return -EINVAL;
	tty_input(t, bytes, n);
	return 0;
}

/* Requests from native peers (badge 0): the process manager, drivers */
static long native_request(struct ts_msg *m)
{
	switch (m->label) {
	case VFS_FORK:
		return vfs_fork((int)m->word[0], (int)m->word[1]);
	case VFS_EXEC:
		return vfs_exec((int)m->word[0]);
	case VFS_EXIT:
		return vfs_exit((int)m->word[0]);
	case VFS_RESOLVE_EXEC:
		return vfs_resolve_exec(m, initramfs_base);
	case VFS_READ_EXEC:
		return vfs_read_exec(m);
	case VFS_MAP_READ:
		return vfs_map_read(m);
	case VFS_FILE_NAME:
		return vfs_file_name(m);
	case VFS_SET_CLOCK:
		ramfs_set_clock((int64_t)m->word[0]);
		return 0;
	case VFS_SET_CRED:
		return vfs_set_cred(m);
	case VFS_SET_LIMITS:
		return vfs_set_limits(m);
	case VFS_CANCEL:
		return vfs_cancel(m->word[0]);
	case VFS_TAKE_SIGNALS:
		return vfs_take_signals(m);
	case TTY_INPUT:
		return keyboard_input(m);
	default:
		return -ENOSYS;
	}
}

static long handle(struct ts_msg *m)
{
	if (m->label == TS_LABEL_NOTIFY) {
		serial_interrupt();
		return TS_NO_REPLY;
	}
	if (m->label >= VFS_FORK) {
		vfs_caller = &vfs_root;
		vfs_caller_limits = &vfs_no_limits;
		return m->badge ? -EPERM : native_request(m);
	}
	struct fdtable *t = fdtable_of((int)m->badge);
	vfs_caller = t ? &t->cred : &vfs_root;
	vfs_caller_limits = t ? &t->limits : &vfs_no_limits;
	procfs_serving((int)m->badge);
	long r = t ? vfs_path_call(t, m) : -ENOMEM;
	if (r == -ENOSYS)
		ts_print("ENOSYS %s (#%lu) pid %d", linux_syscall_name(m->label), m->label,
			 (int)m->badge);
	return r;
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
		long r = handle(&m);
		if (r == TS_NO_REPLY) {
			if (receive(ep, &m))
				return 1;
			continue;
		}
		/* the process manager's requests get their words back */
		uint64_t reply = m.reply, words[TS_MSG_WORDS];
		memcpy(words, m.word, sizeof words);
		m = ts_msg_make((uint64_t)r);
		m.reply = reply;
		memcpy(m.word, words, sizeof words);
		/* with a deadline pending, receive with a timeout */
		long err = next_deadline() ? (ts_reply(&m), receive(ep, &m)) : ts_reply_recv(ep, &m);
		if (err)
			return 1;
	}
}
