/* Process and thread lifetimes. */
#include <arch/arch.h>
#include <arch/trapframe.h>
#include <cap.h>
#include <elf.h>
#include <futex.h>
#include <ipc.h>
#include <log.h>
#include <mm.h>
#include <quota.h>
#include <sched.h>
#include <tid.h>
#include <vm.h>
#include <tessera/errno.h>

static unsigned next_pid = 1;
static struct list_node zombies = { &zombies, &zombies };

struct thread *thread_of_process(struct process *p, uint64_t ltid)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(pos, tmp, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, proc_link);
		if (t->ltid == ltid)
			return t;
	}
	return NULL;
}

/* A thread whose first run pops frame from the top of its kernel stack. */
static struct thread *thread_alloc(const struct trap_frame *frame, unsigned prio)
{
	struct thread *t = kzalloc(sizeof *t);
	int tid = t ? tid_alloc(t) : -ENOMEM;

	if (tid < 0) {
		kfree(t);
		return NULL;
	}
	t->kstack = kmalloc(KSTACK_SIZE);
	if (!t->kstack) {
		tid_free(tid);
		kfree(t);
		return NULL;
	}
	t->tid = tid;
	t->prio = prio;
	t->kstack_top = (uint64_t)t->kstack + KSTACK_SIZE;
	t->frame = (struct trap_frame *)t->kstack_top - 1;
	*t->frame = *frame;
	uint64_t *sp = (uint64_t *)t->frame;
	*--sp = (uint64_t)thread_first_return;
	for (int i = 0; i < 6; i++)
		*--sp = 0;                       /* callee-saved registers */
	t->saved_rsp = (uint64_t)sp;
	list_init(&t->run_link);
	list_init(&t->proc_link);
	list_init(&t->sleep_link);
	list_init(&t->reply_link);
	t->xfer.type = TS_CAP_NULL;
	t->syscall_nr = -1;
	arch_fpu_init_state(t->fpu);
	return t;
}

struct thread *thread_create_kernel(void (*fn)(void), unsigned prio)
{
	struct trap_frame f = { .rip = (uint64_t)fn, .cs = 0x08, .ss = 0x10, .rflags = 0x2 };
	struct thread *t;

	/* rsp is fixed up below once the stack exists */
	t = thread_alloc(&f, prio);
	if (!t)
		panic("no memory for a kernel thread");
	t->frame->rsp = (uint64_t)t->frame - 8;
	t->state = T_RUNNABLE;
	return t;
}

int thread_create(struct process *p, uint64_t rip, uint64_t rsp, uint64_t arg,
		  struct thread **out)
{
	struct trap_frame f = { .rip = rip, .cs = USER_CS, .ss = USER_DS,
				.rflags = 0x202, .rsp = rsp, .rdi = arg };
	int err = quota_take(&p->quota, QUOTA_THREAD);
	struct thread *t = err ? NULL : thread_alloc(&f, p->prio);

	if (!t) {
		if (!err)
			quota_put(&p->quota, QUOTA_THREAD);
		return err ? err : -ENOMEM;
	}
	t->proc = p;
	t->ltid = p->badge;
	t->state = T_NEW;
	list_add_tail(&p->threads, &t->proc_link);
	p->nthreads++;
	if (out)
		*out = t;
	return 0;
}

struct process *proc_create(const char *name, const struct quota *limits)
{
	struct process *p = kzalloc(sizeof *p);

	if (!p)
		return NULL;
	p->quota = *limits;
	/* with the first chunk of its capability table, which any process
	 * given a capability makes */
	uint64_t bytes = sizeof *p + sizeof *p->caps + CAP_CHUNK * sizeof(struct cap);
	if (quota_kmem_take(&p->quota, bytes)) {
		kfree(p);
		return NULL;
	}
	p->vm = vm_create();
	p->caps = kzalloc(sizeof *p->caps);
	if (!p->vm || !p->caps) {
		if (p->vm)
			vm_destroy(p->vm);
		kfree(p->caps);
		kfree(p);
		return NULL;
	}
	captable_init(p->caps, cap_retain, cap_release);
	p->pid = next_pid++;
	p->prio = DEFAULT_PRIO;
	p->refs = 1;
	strlcpy(p->name, name, sizeof p->name);
	list_init(&p->threads);
	list_init(&p->waiters);
	list_init(&p->callers);
	return p;
}

/* Copy one ELF segment into freshly allocated pages of p. */
static int load_segment(struct process *p, const uint8_t *image, const struct elf_segment *s)
{
	uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	unsigned flags = VM_OWNED | (s->prot & TS_PROT_WRITE ? VM_WRITE : 0) |
			 (s->prot & TS_PROT_EXEC ? VM_EXEC : 0);

	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t pa = page_alloc();
		if (!pa)
			return -ENOMEM;
		/* the part of the file that lands in this page */
		uint64_t lo = MAX(va, s->vaddr), hi = MIN(va + PAGE_SIZE, s->vaddr + s->filesz);
		if (hi > lo)
			memcpy((char *)phys_to_virt(pa) + (lo - va),
			       image + s->offset + (lo - s->vaddr), hi - lo);
		int err = vm_map(p->vm, va, pa, flags);
		if (err) {
			page_free(pa);
			return err;
		}
	}
	return 0;
}

int proc_load(struct process *p, const void *image, size_t len)
{
	struct elf_image elf;
	int err = elf_parse(image, len, &elf);

	for (unsigned i = 0; !err && i < elf.nsegments; i++)
		err = load_segment(p, image, &elf.seg[i]);
	if (!err)
		err = vm_map_anon(p->vm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
				  TS_PROT_READ | TS_PROT_WRITE);
	if (!err)
		err = thread_create(p, elf.entry, USER_STACK_TOP - 8, 0, NULL);
	p->entry = elf.entry;
	return err;
}

static void thread_destroy(struct thread *t)
{
	tid_free(t->tid);
	kfree(t->kstack);
	kfree(t);
}

void thread_reap(void)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(pos, tmp, &zombies) {
		struct thread *t = list_entry(pos, struct thread, run_link);
		if (t == current_thread())
			continue;
		list_remove(pos);
		thread_destroy(t);
	}
}

static void thread_kill(struct thread *t)
{
	ipc_cancel(t);
	sched_detach(t);
	if (t->state == T_WAIT || t->state == T_FUTEX)
		list_remove(&t->run_link);
	t->state = T_DEAD;
	list_remove(&t->proc_link);
	t->proc->nthreads--;
	quota_put(&t->proc->quota, QUOTA_THREAD);
	if (t == current_thread())
		list_add_tail(&zombies, &t->run_link);
	else
		thread_destroy(t);
}

void thread_exit(struct thread *t)
{
	futex_thread_exit(t);
	thread_kill(t);
}

void proc_exit(struct process *p, int status)
{
	struct list_node *pos, *tmp;

	if (p->exited)
		return;
	p->exited = true;
	p->exit_status = status;
	list_for_each_safe(pos, tmp, &p->threads)
		thread_kill(list_entry(pos, struct thread, proc_link));
	ipc_fail_callers_of(p);
	captable_clear(p->caps);
	uint64_t resident = vm_destroy(p->vm);
	p->peak_pages = MAX(p->peak_pages, resident);
	p->vm = NULL;
	kfree(p->io_bitmap);
	p->io_bitmap = NULL;
	list_for_each_safe(pos, tmp, &p->waiters) {
		struct thread *w = list_entry(pos, struct thread, run_link);
		list_remove(pos);
		sched_wake(w, status);
	}
	notify_target_fire(&p->exit_watch);
	notify_target_clear(&p->exit_watch);
	proc_put(p);
}

void proc_get(struct process *p)
{
	p->refs++;
}

void proc_put(struct process *p)
{
	if (--p->refs)
		return;
	captable_destroy(p->caps);
	kfree(p->caps);
	kfree(p);
}
