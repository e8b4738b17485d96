/* Open ramfs files (read, seek) and directories (getdents64). */
#include "vfs.h"

#define MAX_FILES 256

static struct file files[MAX_FILES];

void node_stat(const struct node *n, struct linux_stat *st)
{
	*st = (struct linux_stat){
		.st_dev = 1, .st_ino = n->ino, .st_nlink = node_is_dir(n) ? 2 : 1,
		.st_mode = n->mode, .st_uid = n->uid, .st_gid = n->gid,
		.st_size = (int64_t)n->size, .st_blksize = 4096,
		.st_blocks = (int64_t)((n->size + 511) / 512),
		.st_atim = { (int64_t)n->mtime, 0 }, .st_mtim = { (int64_t)n->mtime, 0 },
		.st_ctim = { (int64_t)n->mtime, 0 },
	};
}

static long file_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct node *n = f->node;

	if (node_is_dir(n))
		return -EISDIR;
	if (f->pos >= n->size)
		return 0;
	uint64_t count = MIN(len, n->size - f->pos);
	if (to_caller(m, addr, n->data + f->pos, count))
		return -EFAULT;
	f->pos += count;
	return (long)count;
}

static long file_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	(void)f, (void)m, (void)addr, (void)len;
	return -EBADF;              /* opened read-only: the ramfs is read-only */
}

static long file_ioctl(struct file *f, const struct ts_msg *m, uint64_t cmd, uint64_t arg)
{
	(void)f, (void)m, (void)cmd, (void)arg;
	return -ENOTTY;
}

static void file_stat(struct file *f, struct linux_stat *st)
{
	node_stat(f->node, st);
}

static short file_poll(struct file *f)
{
	(void)f;
	return L_POLLIN | L_POLLOUT;    /* files never block */
}

static void file_release(struct file *f);

static const struct file_ops node_ops = {
	file_read, file_write, file_ioctl, file_stat, file_poll, file_release,
};

struct file *file_alloc(void)
{
	for (int i = 0; i < MAX_FILES; i++) {
		/* a slot is in use from allocation: ops is set until release */
		if (files[i].refs || files[i].ops)
			continue;
		files[i] = (struct file){ 0 };
		return &files[i];
	}
	return NULL;
}

static void file_release(struct file *f)
{
	f->ops = NULL;
}

struct file *file_open_node(struct node *n, unsigned flags)
{
	if (n->ops && n->ops->refresh)
		n->ops->refresh(n);
	if (n->ops && n->ops->open)
		return n->ops->open(n, flags);
	struct file *f = file_alloc();

	if (f)
		*f = (struct file){ .ops = &node_ops, .flags = flags, .node = n };
	return f;
}
