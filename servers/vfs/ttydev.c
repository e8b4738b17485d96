/* The terminals' device names, until devfs gives them nodes: /dev/tty (the
 * caller's controlling terminal, 5:0), /dev/console (5:1) and /dev/ttyS0
 * (4:64) for the serial port, /dev/tty1 (4:1) for the screen. */
#include "tty.h"

static struct tty *controlling(int pid)
{
	struct fdtable *t = fdtable_find(pid);

	return t ? t->ctty : NULL;
}

/* The terminal path names for pid, its device number in *rdev; NULL with
 * -ENOENT (not a terminal name) or -ENXIO (no such terminal) in *err. */
static struct tty *find(int pid, const char *path, uint32_t *rdev, long *err)
{
	static const struct {
		const char *path;
		uint32_t rdev;
		struct tty *(*tty)(void);
	} names[] = {
		{ "/dev/console", (5 << 8) | 1, serial_tty },
		{ "/dev/ttyS0", (4 << 8) | 64, serial_tty },
		{ "/dev/tty1", (4 << 8) | 1, screen_tty },
	};
	struct tty *t = NULL;

	*err = -ENOENT;
	if (!strcmp(path, "/dev/tty")) {
		*err = -ENXIO;
		*rdev = 5 << 8;
		t = controlling(pid);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(path, names[i].path)) {
			*err = -ENXIO;
			*rdev = names[i].rdev;
			t = names[i].tty();
		}
	}
	if (t)
		*err = 0;
	return t;
}

struct file *ttydev_open(int pid, const char *path, long *err)
{
	uint32_t rdev;
	struct tty *t = find(pid, path, &rdev, err);
	struct file *f = t ? tty_open(t) : NULL;

	if (t && !f)
		*err = -ENFILE;
	return f;
}

long ttydev_stat(int pid, const char *path, struct linux_stat *st)
{
	uint32_t rdev;
	long err;

	if (!find(pid, path, &rdev, &err) && err == -ENOENT)
		return err;
	/* the name exists even when its terminal does not (open: ENXIO) */
	*st = (struct linux_stat){ .st_dev = 1, .st_nlink = 1, .st_mode = L_S_IFCHR | 0620,
				   .st_rdev = rdev, .st_blksize = 1024 };
	return 0;
}
