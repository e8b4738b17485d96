/* The terminals' device names: /dev/tty (the caller's controlling
 * terminal, 5:0), /dev/console (5:1) and /dev/ttyS0 (4:64) for the serial
 * port, /dev/tty1 (4:1) for the screen. */
#include "tty.h"

struct file *ttydev_open(int pid, const char *path, long *err)
{
	static const struct { const char *path; struct tty *(*tty)(void); } names[] = {
		{ "/dev/console", serial_tty }, { "/dev/ttyS0", serial_tty },
		{ "/dev/tty1", screen_tty },
	};
	struct file *f = NULL;

	*err = -ENOENT;
	if (!strcmp(path, "/dev/tty")) {
		*err = -ENXIO;              /* no controlling terminal */
		f = tty_open_controlling(pid);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(path, names[i].path)) {
			*err = -ENXIO;
			f = tty_open(names[i].tty());
		}
	}
	if (f)
		*err = 0;
	return f;
}
