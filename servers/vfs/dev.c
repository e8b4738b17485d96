/*
 * Device nodes, like Linux's devtmpfs: a tree of its own (one instance,
 * mounted on /dev at boot and wherever mount -t devtmpfs puts it)
 * populated with character device nodes; opening any such node (mknod
 * makes more, anywhere) dispatches through a table by major and minor. The memory
 * devices live here; the terminals in tty.c and its backends.
 */
#include "vfs.h"
#include "tty.h"

enum { MEM_MAJOR = 1, TTY_MAJOR = 4, TTYAUX_MAJOR = 5 };
enum { NULL_MINOR = 3, ZERO_MINOR = 5, FULL_MINOR = 7, RANDOM_MINOR = 8, URANDOM_MINOR = 9 };

static struct file *mem_open(int pid, long *err);
static struct file *serial_open(int pid, long *err)
{
	(void)pid, (void)err;
	return tty_open(serial_tty());
}

static struct file *screen_open(int pid, long *err)
{
	(void)pid, (void)err;
	return tty_open(screen_tty());
}

struct device {
	const char *name;
	uint32_t major, minor, perm;
	/* the file, or NULL and *err (left as ENXIO: no such device here) */
	struct file *(*open)(int pid, long *err);
};

static const struct device devices[] = {
	{ "null", MEM_MAJOR, NULL_MINOR, 0666, mem_open },
	{ "zero", MEM_MAJOR, ZERO_MINOR, 0666, mem_open },
	{ "full", MEM_MAJOR, FULL_MINOR, 0666, mem_open },
	{ "random", MEM_MAJOR, RANDOM_MINOR, 0666, mem_open },
	{ "urandom", MEM_MAJOR, URANDOM_MINOR, 0666, mem_open },
	{ "tty", TTYAUX_MAJOR, 0, 0666, tty_open_controlling },
	{ "console", TTYAUX_MAJOR, 1, 0600, serial_open },
	{ "ttyS0", TTY_MAJOR, 64, 0660, serial_open },
	{ "tty1", TTY_MAJOR, 1, 0620, screen_open },
	{ "ptmx", TTYAUX_MAJOR, 2, 0666, pty_open_master },
};

/* xoshiro256** seeded from the TSC and the clock, stirred on each use */
static uint64_t rng[4];

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_stir(uint64_t entropy)
{
	uint64_t x = entropy ^ rng[0] ^ rotl(rng[3], 17);

	for (int i = 0; i < 4; i++)
		rng[i] ^= splitmix(&x);
}

static uint64_t rng_next(void)
{
	uint64_t r = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;

	rng[2] ^= rng[0];
	rng[3] ^= rng[1];
	rng[1] ^= rng[2];
	rng[0] ^= rng[3];
	rng[2] ^= t;
	rng[3] = rotl(rng[3], 45);
	return r;
}

static uint32_t minor_of(const struct file *f)
{
	return linux_minor(f->node->rdev);
}

static long mem_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	uint64_t buf[64], done = 0;
	uint32_t minor = minor_of(f);

	if (minor == NULL_MINOR)
		return 0;
	if (minor == RANDOM_MINOR || minor == URANDOM_MINOR)
		rng_stir(ts_rdtsc());
	while (done < len) {
		uint64_t n = MIN(len - done, sizeof buf);
		for (unsigned i = 0; i < ARRAY_SIZE(buf); i++)
			buf[i] = minor == ZERO_MINOR || minor == FULL_MINOR ? 0 : rng_next();
		if (to_caller(m, addr + done, buf, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

/* Writes vanish, except on /dev/full; what goes to random is stirred in. */
static long mem_write_local(struct file *f, const struct ts_msg *m, const void *buf,
			    uint64_t len)
{
	uint32_t minor = minor_of(f);

	(void)m;
	if (minor == FULL_MINOR)
		return -ENOSPC;
	if ((minor == RANDOM_MINOR || minor == URANDOM_MINOR) && len >= 8) {
		uint64_t word;
		memcpy(&word, buf, 8);
		rng_stir(word);
	}
	return (long)len;
}

static long mem_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	uint8_t head[8] = { 0 };
	uint32_t minor = minor_of(f);

	if ((minor == RANDOM_MINOR || minor == URANDOM_MINOR) &&
	    from_caller(m, addr, head, MIN(len, sizeof head)))
		return -EFAULT;
	long r = mem_write_local(f, m, head, MIN(len, sizeof head));
	return r < 0 ? r : (long)len;
}

static long mem_seek(struct file *f, int64_t off, uint64_t whence)
{
	(void)off, (void)whence;
	f->pos = 0;                     /* these devices have no position */
	return 0;
}

static const struct file_ops mem_ops = {
	.read = mem_read, .write = mem_write, .ioctl = file_no_ioctl, .stat = file_node_stat,
	.poll = file_never_blocks, .release = file_free, .seek = mem_seek,
	.write_local = mem_write_local,
};

static struct file *mem_open(int pid, long *err)
{
	struct file *f = file_alloc();

	(void)pid;
	if (f)
		f->ops = &mem_ops;
	else
		*err = -ENOMEM;
	return f;
}

/* f was opened through n (or NULL); a terminal may become the opener's
 * controlling terminal, though not through /dev/tty, /dev/console or
 * /dev/ptmx (Linux's tty_open). */
static struct file *opened(struct file *f, struct node *n, int pid, unsigned flags)
{
	if (!f)
		return NULL;
	f->flags = flags & ~L_O_NOCTTY;         /* not a status flag */
	f->node = n;
	node_get(n);
	if (!(flags & L_O_NOCTTY) && linux_major(n->rdev) != TTYAUX_MAJOR)
		tty_opened(f, pid);
	return f;
}

struct file *dev_open(struct node *n, int pid, unsigned flags, long *err)
{
	uint32_t major = linux_major(n->rdev), minor = linux_minor(n->rdev);

	*err = -ENXIO;
	struct file *pts = node_is_chr(n) && major == PTS_MAJOR ? pty_open_slave(minor, err) : NULL;
	if (pts)
		return opened(pts, n, pid, flags);
	for (unsigned i = 0; node_is_chr(n) && i < ARRAY_SIZE(devices); i++)
		if (devices[i].major == major && devices[i].minor == minor)
			return opened(devices[i].open(pid, err), n, pid, flags);
	return NULL;
}

static struct fs devfs;

static struct fs *devfs_get(const char *options, long *err)
{
	(void)options;              /* the instance exists: its options were set then */
	*err = -ENODEV;
	return devfs.root ? &devfs : NULL;
}

const struct fs_type devtmpfs_type = { "devtmpfs", L_TMPFS_MAGIC, devfs_get, NULL, NULL };

void devfs_init(void)
{
	struct path root = mount_root();
	struct dentry *d = ramfs_lookup(root.node, "dev", 3);
	struct node *at = d ? d->node : NULL, *dev, *n;

	rng_stir(ts_rdtsc() ^ ts_clock());
	if (!at && ramfs_create(root.node, "dev", 3, L_S_IFDIR | 0755, 0, &at))
		return;
	if (!(dev = ramfs_new_root(0755, fs_new_dev(), NULL)))
		return;
	devfs = (struct fs){ .type = &devtmpfs_type, .root = dev, .dev = dev->dev };
	for (unsigned i = 0; i < ARRAY_SIZE(devices); i++) {
		const struct device *v = &devices[i];
		ramfs_create(dev, v->name, strlen(v->name), L_S_IFCHR | v->perm,
			     linux_makedev(v->major, v->minor), &n);
	}
	/* descriptors by name, as udev makes them: "<(cmd)" in shells is /dev/fd/N */
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(links); i++)
		if (!ramfs_create(dev, links[i][0], strlen(links[i][0]), L_S_IFLNK | 0777, 0, &n))
			ramfs_set_symlink(n, links[i][1], strlen(links[i][1]));
	pty_init(dev);
	mount_attach(&devfs, &(struct path){ root.mnt, at }, L_MS_NOSUID | L_MS_RELATIME,
		     "devtmpfs");
}
