/*
 * fork, clone, execve and exit. Executables come from the VFS: it resolves
 * a path (working directory, symlinks) to the file's place in the
 * initramfs module, which the process manager has mapped too, or, for a
 * file written at run time, copies its bytes into our memory.
 */
#include "pm.h"
#include <proto/vfs_client.h>

#define CLONE_VM             0x100
#define CLONE_FS             0x200
#define CLONE_FILES          0x400
#define CLONE_SIGHAND        0x800
#define CLONE_VFORK          0x4000
#define CLONE_THREAD         0x10000
#define CLONE_NEWNS          0x20000
#define CLONE_SETTLS         0x80000
#define CLONE_PARENT_SETTID  0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID   0x1000000
#define CLONE_NEWUSER        0x10000000
/* what a thread shares with its process here: memory, the VFS's per-pid
 * state (working directory, root, umask, descriptors), signal handlers */
#define CLONE_THREAD_SHARES  (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND)
#define EXEC_BUF_AT  0x200000000ull     /* files written at run time, read to be exec'd */
/* below the servers' priority: a server answers before its callers run on */
#define POSIX_PRIORITY 8
/* the kernel's limits for each POSIX process (Linux's threads-max, per
 * process): kernel threads, and kernel memory for its objects */
#define POSIX_MAX_THREADS 1024
#define POSIX_MAX_KMEM    (32ull << 20)

static uint32_t vfs, pm_ep;
static const uint8_t *initramfs;

void pm_lifecycle_init(uint32_t vfs_ep, uint32_t own_ep, const void *image)
{
	vfs = vfs_ep;
	pm_ep = own_ep;
	initramfs = image;
	vfs_set_clock_call(vfs, pm_boot_epoch_ns());    /* for file timestamps */
}

/* The kernel tells us (a notification on our endpoint) when a process
 * ends, so that one it kills for a fault is reaped like any other. */
static long watch(uint32_t slot)
{
	return ts_proc_watch(slot, pm_ep, 0);
}

uint32_t pm_vfs(void)
{
	return vfs;
}

static uint64_t exec_buf_len;

static void release_exec_buf(void)
{
	if (exec_buf_len)
		ts_vm_unmap(TS_SELF, EXEC_BUF_AT, exec_buf_len);
	exec_buf_len = 0;
}

/* A file written at run time: its bytes, copied by the VFS into our memory
 * (f->size: what it had when resolved). */
static long read_file(uint64_t ino, struct exec_file *f)
{
	if (!f->size)
		return -ENOEXEC;
	if (f->size > TS_GRANT_MAX)
		return -ENOMEM;
	release_exec_buf();
	if (ts_vm_map(TS_SELF, EXEC_BUF_AT, ALIGN_UP(f->size, 4096), TS_PROT_READ | TS_PROT_WRITE))
		return -ENOMEM;
	exec_buf_len = ALIGN_UP(f->size, 4096);
	long r = vfs_read_exec_call(vfs, ino, (void *)EXEC_BUF_AT, f->size);
	if (r < 0)
		return r;
	f->bytes = (const uint8_t *)EXEC_BUF_AT;
	f->size = (uint64_t)r;
	f->immutable = false;
	return 0;
}

/* The bytes of the file at path (as pid sees it). */
static long resolve(int pid, const char *path, struct exec_file *f)
{
	uint64_t offset, ino;
	long err = vfs_resolve_exec_call(vfs, pid, path, strlen(path), &offset, &f->size, &ino,
					 &f->mode, &f->uid, &f->gid);
	if (err)
		return err;
	if (offset == VFS_EXEC_NOT_ARCHIVED || !initramfs)
		return read_file(ino, f);
	f->bytes = initramfs + offset;
	f->immutable = true;
	return 0;
}

/* The forked child (which has not run yet: the PM outranks it) starts on
 * the stack clone was given. */
static long set_child_stack(uint32_t slot, int pid, uint64_t stack)
{
	struct ts_regs r;
	long err = ts_thread_regs(slot, pid, false, &r);

	r.rsp = stack;
	return err ? err : ts_thread_regs(slot, pid, true, &r);
}

/* What the kernel is to make for POSIX process pid: its badge, priority and
 * limits. */
static struct ts_spawn_args posix_spawn_args(int pid)
{
	struct ts_spawn_args a = { .flags = TS_PROC_POSIX, .badge = pid,
				   .priority = POSIX_PRIORITY, .max_threads = POSIX_MAX_THREADS,
				   .max_kmem = POSIX_MAX_KMEM };

	snprintf(a.name, sizeof a.name, "posix-%d", pid);
	return a;
}

/* fork, vfork and clone: the child gets a copy of the memory; stack, if
 * not 0, is where it starts. */
static long do_fork(struct pproc *p, struct ts_msg *m, uint64_t stack)
{
	struct pproc *c = proc_alloc(p->pid);

	if (!c)
		return -EAGAIN;
	long err = vmmap_fork(p, c);
	if (!err)
		err = vfs_fork_call(vfs, p->pid, c->pid);
	struct ts_spawn_args a = posix_spawn_args(c->pid);
	long slot = err ? err : ts_proc_fork(m->reply, &a);
	if (slot >= 0 && stack && set_child_stack(slot, c->pid, stack) < 0) {
		ts_proc_kill(slot);
		ts_cap_delete(slot);
		slot = -EAGAIN;
	}
	if (slot >= 0)
		watch(slot);
	if (slot < 0) {
		vfs_exit_call(vfs, c->pid);
		proc_free(c);
		return slot == -ENOMEM ? -ENOMEM : -EAGAIN;
	}
	c->slot = slot;
	pm_set_parent(c, p->pid);
	c->brk_start = p->brk_start;
	c->brk = p->brk;
	c->stack_size = p->stack_size;
	c->mmap_top = p->mmap_top;
	pm_signal_fork(thread_caller(p, m), c);
	return c->pid;
}

/* clone(CLONE_THREAD): a thread of p, with an id from the pid space and
 * the creator's signal mask, on the stack given, in the caller's memory. */
static long do_clone_thread(struct pproc *p, const struct ts_msg *m)
{
	uint64_t flags = m->word[0], ptid = m->word[2], ctid = m->word[3];
	struct pthread *self = thread_caller(p, m);

	if ((flags & CLONE_THREAD_SHARES) != CLONE_THREAD_SHARES || flags & CLONE_VFORK)
		return -EINVAL;
	if (!proc_may_add_task(p))
		return -EAGAIN;
	int tid = proc_new_tid();
	struct pthread *t = thread_add(p, tid);
	if (!t)
		return -EAGAIN;
	t->sigmask = self->sigmask;
	long err = ts_thread_clone(m->reply, tid, m->word[1], m->word[4],
				   flags & CLONE_CHILD_CLEARTID ? ctid : 0, flags & CLONE_SETTLS);
	if (err) {
		thread_remove(t);
		return err == -ENOMEM ? -ENOMEM : -EAGAIN;
	}
	/* as Linux, a bad address here is not the caller's error */
	if (flags & CLONE_PARENT_SETTID)
		to_caller(m, ptid, &tid, sizeof tid);
	if (flags & CLONE_CHILD_SETTID)
		to_caller(m, ctid, &tid, sizeof tid);
	return tid;
}

/* Linux's rules for clone flags that do not go together, then which kind
 * of child: a thread, or a copy (a vfork-like one too: it gets a copy). */
static long do_clone(struct pproc *p, struct ts_msg *m)
{
	uint64_t flags = m->word[0];

	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS) ||
	    (flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS) ||
	    (flags & CLONE_THREAD && !(flags & CLONE_SIGHAND)) ||
	    (flags & CLONE_SIGHAND && !(flags & CLONE_VM)))
		return -EINVAL;
	if (flags & CLONE_THREAD)
		return do_clone_thread(p, m);
	/* sharing memory without being a thread is not supported */
	if (flags & CLONE_VM && !(flags & CLONE_VFORK))
		return -ENOSYS;
	return do_fork(p, m, m->word[1]);
}

/* Copy a NUL-terminated string from the caller to buf + *used, in pieces
 * that do not cross a page (the bytes after the NUL may be unmapped) and
 * fit most strings in one copy. */
static long copy_string(const struct ts_msg *m, uint64_t s, char *buf, size_t *used, char **out)
{
	size_t end = MIN(*used + EXEC_STRING_MAX, EXEC_ARG_BYTES);

	*out = buf + *used;
	for (;;) {
		size_t n = MIN(MIN(256, 4096 - (s & 4095)), end - *used);
		if (!n)
			return -E2BIG;
		if (from_caller(m, s, buf + *used, n))
			return -EFAULT;
		char *nul = memchr(buf + *used, 0, n);
		if (nul) {
			*used = nul + 1 - buf;
			return 0;
		}
		*used += n;
		s += n;
	}
}

/* Copy a NULL-terminated vector of strings from the caller into buf. */
static long copy_vector(const struct ts_msg *m, uint64_t addr, char *vec[], int max,
			char *buf, size_t *used)
{
	int n = 0;

	for (; addr; n++, addr += 8) {
		uint64_t s;
		if (n == max)
			return -E2BIG;
		if (from_caller(m, addr, &s, 8))
			return -EFAULT;
		if (!s)
			break;
		long err = copy_string(m, s, buf, used, &vec[n]);
		if (err)
			return err;
	}
	vec[n] = NULL;
	return n;
}

/* "#!interpreter [arg]": argv becomes interpreter, arg, path, argv[1..]. */
static long shebang(const uint8_t *image, uint64_t size, char *path, char *argv[], char *buf,
		    size_t *used)
{
	char *line = buf + *used;
	uint64_t n = 0;

	while (n < size - 2 && n < 127 && image[n + 2] != '\n')
		n++;
	if (*used + n + 1 > EXEC_ARG_BYTES)
		return -E2BIG;
	memcpy(line, image + 2, n);
	line[n] = 0;
	*used += n + 1;
	while (*line == ' ')
		line++;
	char *arg = line;
	while (*arg && *arg != ' ')
		arg++;
	if (*arg)
		*arg++ = 0;
	int argc = 0;
	while (argv[argc])
		argc++;
	int shift = *arg ? 3 : 2;
	if (argc + shift >= EXEC_STRINGS)
		return -E2BIG;
	memmove(argv + shift, argv + 1, argc * sizeof argv[0]);
	argv[0] = line;
	if (*arg)
		argv[1] = arg;
	argv[shift - 1] = path;
	return 0;
}

/* t execs: the new image replaces its process's; only t is left of its
 * threads, with the pid as its id (Linux's de_thread). */
static long exec_into(struct pthread *t, char *path, char *argv[], char *envp[], char *buf,
		      size_t *used)
{
	struct pproc *p = t->proc;
	struct exec_file f;
	struct exec_ids ids;
	long err = resolve(p->pid, path, &f);

	if (!err && f.size > 2 && f.bytes[0] == '#' && f.bytes[1] == '!') {
		err = shebang(f.bytes, f.size, path, argv, buf, used);
		if (!err)
			err = resolve(p->pid, argv[0], &f);
	}
	if (err)
		return err;
	struct ts_spawn_args a = posix_spawn_args(p->pid);
	long slot = ts_proc_create(&a);
	if (slot < 0)
		return -ENOMEM;
	uint32_t old = p->slot;
	watch(slot);
	p->slot = slot;
	pm_set_parent(p, p->ppid);
	p->mmap_top = 0x00007f0000000000ull;
	cred_for_exec(p, &f, &ids);
	err = pm_exec(p, path, &f, &ids, argv, envp);
	release_exec_buf();
	if (err) {
		ts_proc_kill(slot);
		ts_cap_delete(slot);
		p->slot = old;
		return err;
	}
	if (old != TS_NOCAP) {
		ts_proc_kill(old);
		ts_cap_delete(old);
	}
	for (struct pthread *o = thread_next(p, NULL); o; o = thread_next(p, o))
		if (o != t)
			sig_cut_short(o);   /* its calls' callers are gone */
	cred_exec_commit(p, &ids);
	vfs_exec_call(vfs, p->pid);
	vmmap_name_image(p);
	pm_signal_exec(t);
	procinfo_exec(p, path, argv);
	return 0;
}

static long do_execve(struct pproc *p, struct ts_msg *m)
{
	static char buf[EXEC_ARG_BYTES], *argv[EXEC_STRINGS], *envp[EXEC_STRINGS];
	char *path;
	size_t used = 0;
	long err = copy_string(m, m->word[0], buf, &used, &path);

	if (!err)
		err = copy_vector(m, m->word[1], argv, EXEC_STRINGS - 3, buf, &used);
	if (err >= 0)
		err = copy_vector(m, m->word[2], envp, EXEC_STRINGS, buf, &used);
	if (err < 0)
		return err;
	if (!argv[0]) {
		argv[0] = path;
		argv[1] = NULL;
	}
	err = exec_into(thread_caller(p, m), path, argv, envp, buf, &used);
	return err ? err : TS_NO_REPLY;     /* the caller's old image is gone */
}

long pm_start_init(char *const argv[], char *const envp[])
{
	static char buf[EXEC_ARG_BYTES], *args[EXEC_STRINGS];
	char path[128];
	size_t used = 0;
	int n = 0;
	struct pproc *p = proc_alloc(0);

	if (!p)
		return -ENOMEM;
	for (; argv[n] && n < EXEC_STRINGS - 3; n++)
		args[n] = argv[n];
	args[n] = NULL;
	/* a bare name is looked for in /bin */
	snprintf(path, sizeof path, "%s%s", memchr(args[0], '/', strlen(args[0])) ? "" : "/bin/", args[0]);
	long err = exec_into(thread_of(p, p->pid), path, args, (char **)envp, buf, &used);
	if (err)
		proc_free(p);
	return err;
}

/* SIGCHLD for the end of c, whose wait status is given */
static void child_ended(const struct pproc *c, int wait_status)
{
	int sig = wait_status & 0x7f;

	sig_child_event(c, sig ? L_CLD_KILLED : L_CLD_EXITED, sig ? sig : wait_status >> 8);
}

/* p has ended (its kernel process is gone): a zombie until its parent
 * waits, with wait_status as wait4 reports it. */
static void become_zombie(struct pproc *p, int wait_status)
{
	vfs_exit_call(vfs, p->pid);
	if (p->pid == 1) {
		int code = wait_status & 0x7f ? 128 + (wait_status & 0x7f) : wait_status >> 8;
		ts_print("pid 1 exited with status %d", code);
		pm_init_exited(code);
		proc_free(p);
		return;
	}
	/* children of the dead are inherited by pid 1 */
	for (struct pproc *c = proc_next(NULL); c; c = proc_next(c))
		if (c->ppid == p->pid)
			pm_set_parent(c, 1);
	/* the VFS dropped its threads' calls; their sleeps and waits here end
	 * too, not to hold a sleeper's place until its deadline */
	for (struct pthread *t = thread_next(p, NULL); t; t = thread_next(p, t))
		sig_calls_cut_short(t);
	threads_free(p);
	vmmap_clear(p);             /* a zombie has no memory */
	p->zombie = true;
	p->wait_status = wait_status;
	p->stop_sig = 0;
	/* as on Linux, the parent's wait4 returns before its SIGCHLD comes */
	struct pproc copy = *p;
	pm_wait_event(p);
	child_ended(&copy, wait_status);
}

void pm_kill(struct pproc *p, int sig)
{
	ts_proc_kill(p->slot);
	become_zombie(p, sig);
}

static long do_exit(struct pproc *p, int status)
{
	ts_proc_kill(p->slot);
	become_zombie(p, (status & 0xff) << 8);
	return TS_NO_REPLY;
}

/* exit(2): the calling thread ends; the last one ends the process. */
static long exit_thread(struct pproc *p, const struct ts_msg *m)
{
	struct pthread *t = thread_caller(p, m);

	if (thread_count(p) == 1 || ts_thread_kill(p->slot, t->tid) == -EBUSY)
		return do_exit(p, (int)m->word[0]);
	thread_remove(t);
	return TS_NO_REPLY;
}

/* The signal a kernel exit status stands for: a fault's vector, or a kill. */
static int signal_of(long status)
{
	enum { SIGILL = 4, SIGTRAP = 5, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11 };

	if (!(status & 0x10000))
		return SIGKILL;
	switch (status & 0xff) {
	case 0: return SIGFPE;
	case 3: return SIGTRAP;
	case 6: return SIGILL;
	default: return SIGSEGV;
	}
}

void pm_reap_killed(void)
{
	for (struct pproc *p = proc_next(NULL); p; p = proc_next(p)) {
		if (p->zombie || p->slot == TS_NOCAP)
			continue;
		long status = ts_proc_status(p->slot);
		if (status == -EAGAIN || status < 0)
			continue;
		ts_print("pid %d killed by signal %d (kernel status %#lx)", p->pid,
			 signal_of(status), status);
		become_zombie(p, signal_of(status));
	}
}

long pm_lifecycle(struct pproc *p, struct ts_msg *m)
{
	switch (m->label) {
	case NR_fork:
	case NR_vfork:
		return do_fork(p, m, 0);
	case NR_clone:
		return do_clone(p, m);
	case NR_execve:
		return do_execve(p, m);
	case NR_exit:
		return exit_thread(p, m);
	case NR_exit_group:
		return do_exit(p, (int)m->word[0]);
	default:
		return -ENOSYS;
	}
}
