/*
 * Authority and quotas (module line: spawn=8 log). Priorities only up to
 * what its spawn capability carries, narrowed further with CAP_NARROW;
 * per-process limits on threads, endpoints and kernel memory, one process
 * at its limit leaving others theirs; more threads than the kernel's old
 * fixed table held; everything freed when a process ends.
 */
#include "check.h"

#define CODE_AT  0x10000000ull
#define STACK_AT 0x20000000ull
#define PAGE     4096

/* Code run in the children: sleep forever; or create endpoints until
 * refused and exit with how many it made (255 if not refused by -EAGAIN). */
extern const char sleeper[], ep_filler[], child_code_end[];
_Static_assert(TS_SYS_EXIT == 0x1001 && TS_SYS_SLEEP == 0x1003 && TS_SYS_EP_CREATE == 0x1005,
	       "the numbers in the code below");
__asm__(".pushsection .rodata\n"
	"sleeper:\n"
	"1:	mov $0x7fffffff, %edi\n"
	"	mov $0x1003, %eax\n"
	"	syscall\n"
	"	jmp 1b\n"
	"ep_filler:\n"
	"	xor %ebx, %ebx\n"
	"2:	mov $0x1005, %eax\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	js 3f\n"
	"	inc %ebx\n"
	"	jmp 2b\n"
	"3:	mov %ebx, %edi\n"
	"	cmp $-11, %rax\n"
	"	je 4f\n"
	"	mov $255, %edi\n"
	"4:	mov $0x1001, %eax\n"
	"	syscall\n"
	"child_code_end:\n"
	".popsection");

static uint32_t spawn_slot;

static uint64_t free_pages(void)
{
	struct ts_stats st;

	EXPECT_EQ(ts_stats(&st), 0);
	return st.free_pages;
}

/* An empty process with the children's code and a stack; -errno if refused. */
static long child(uint32_t priority, uint32_t max_threads, uint32_t max_endpoints,
		  uint64_t max_kmem)
{
	struct ts_spawn_args a = { .name = "auth-child", .priority = priority,
				   .max_threads = max_threads, .max_endpoints = max_endpoints,
				   .max_kmem = max_kmem };
	long p = ts_proc_create(&a);

	if (p < 0)
		return p;
	EXPECT_EQ(ts_vm_map(p, CODE_AT, PAGE, TS_PROT_READ | TS_PROT_WRITE | TS_PROT_EXEC), 0);
	EXPECT_EQ(ts_vm_write(p, CODE_AT, sleeper, child_code_end - sleeper), 0);
	EXPECT_EQ(ts_vm_map(p, STACK_AT, PAGE, TS_PROT_READ | TS_PROT_WRITE), 0);
	return p;
}

static long start(long p, const char *code)
{
	return ts_thread_start(p, CODE_AT + (code - sleeper), STACK_AT + PAGE);
}

static void end(long p)
{
	EXPECT_EQ(ts_proc_kill(p), 0);
	EXPECT_EQ(ts_cap_delete(p), 0);
}

static void test_priorities(void)
{
	EXPECT_EQ(child(9, 0, 0, 0), -EPERM);
	EXPECT_EQ(child(30, 0, 0, 0), -EPERM);
	EXPECT_EQ(child(31, 0, 0, 0), -EINVAL);
	long p = child(8, 0, 0, 0);
	EXPECT(p >= 0);
	end(p);
	p = child(0, 0, 0, 0);               /* the default: 10, or 8 at most here */
	EXPECT(p >= 0);
	end(p);
	EXPECT_EQ(ts_cap_narrow(spawn_slot, 1, 9), -EPERM);    /* can only shrink */
	EXPECT_EQ(ts_cap_narrow(spawn_slot, 0, 4), -EPERM);    /* never the idle level */
}

static uint64_t self_stack[64][32];

static void idle(uint64_t unused)
{
	(void)unused;
	for (;;)
		ts_sleep(~0ull >> 2);
}

/* A child at its thread limit: -EAGAIN there, threads go on elsewhere. */
static void test_thread_quota(void)
{
	long p = child(0, 3, 0, 0);

	EXPECT(p >= 0);
	for (int i = 0; i < 3; i++)
		EXPECT(start(p, sleeper) > 0);
	EXPECT_EQ(start(p, sleeper), -EAGAIN);
	EXPECT(ts_thread_create(idle, self_stack[0] + 32, 0) > 0);
	long q = child(0, 0, 0, 0);
	EXPECT(start(q, sleeper) > 0);
	end(q);
	end(p);
	/* kernel memory: a process and its threads, a few at most in 64 KiB */
	p = child(0, 0, 0, 64 << 10);
	EXPECT(p >= 0);
	long err = 0;
	for (int i = 0; i < 8 && err >= 0; i++)
		err = start(p, sleeper);
	EXPECT_EQ(err, -ENOMEM);
	end(p);
	EXPECT_EQ(child(0, 0, 0, 4096), -ENOMEM);   /* not even the process */
}

/* More threads than the kernel's thread table used to hold (1024), in one
 * process; then all freed. */
static long many_threads(unsigned n)
{
	long p = child(0, 0, 0, 0), made = 0;

	while (p >= 0 && made < n && start(p, sleeper) > 0)
		made++;
	end(p);
	return made;
}

static void test_no_thread_table(void)
{
	EXPECT_EQ(many_threads(1100), 1100);
	uint64_t before = free_pages();
	EXPECT_EQ(many_threads(1100), 1100);
	EXPECT_EQ(free_pages(), before);
}

/* A child making endpoints until refused: how many it made. */
static long fill_endpoints(uint32_t max)
{
	long p = child(0, 0, max, 0);

	EXPECT(start(p, ep_filler) > 0);
	long made = ts_proc_wait(p);
	EXPECT_EQ(ts_cap_delete(p), 0);
	return made;
}

static void test_endpoint_quota(void)
{
	EXPECT_EQ(fill_endpoints(5), 5);
	uint64_t before = free_pages();
	EXPECT_EQ(fill_endpoints(5), 5);
	EXPECT_EQ(free_pages(), before);
	long ep = ts_ep_create();            /* its limit is not this process's */
	EXPECT(ep >= 0);
	EXPECT_EQ(ts_cap_delete(ep), 0);
}

/* Last: it gives up the spawn capability. */
static void test_narrowed_spawn(void)
{
	long narrow = ts_cap_narrow(spawn_slot, 1, 4);    /* priorities 1..4 */
	long p = child(8, 0, 0, 0);

	EXPECT(narrow >= 0 && p >= 0);
	EXPECT_EQ(ts_cap_delete(spawn_slot), 0);
	EXPECT_EQ(child(5, 0, 0, 0), -EPERM);
	long q = child(0, 0, 0, 0);          /* the default, lowered to 4 */
	EXPECT(q >= 0);
	end(q);
	EXPECT_EQ(ts_cap_delete(narrow), 0);
	EXPECT_EQ(child(1, 0, 0, 0), -EPERM);
	EXPECT_EQ(start(p, sleeper), -EPERM);      /* a thread in another process */
	EXPECT_EQ(ts_vm_map(p, STACK_AT + PAGE, PAGE, TS_PROT_READ), 0);   /* its CTRL cap */
	end(p);
}

int main(const struct ts_startinfo *si)
{
	struct ts_given g;

	ts_given_caps(si->args, &g);
	EXPECT(g.spawn >= 0 && g.log >= 0);
	spawn_slot = g.spawn;
	test_priorities();
	test_thread_quota();
	test_no_thread_table();
	test_endpoint_quota();
	test_narrowed_spawn();
	return checks_done("auth_test");
}
