/* TS_SYS_VM_SHARE seen from user space: every bad argument is refused
 * with an error before anything changes; shared pages are copy-on-write
 * both ways; sharing and unmapping again and again leaks no frame. */
#include "check.h"

#define SRC  0x30000000ull     /* ours: three pages */
#define DST  0x40000000ull     /* in the other process (or ours) */
#define PAGE 4096ull
#define RW   (TS_PROT_READ | TS_PROT_WRITE)

static long child;

static uint8_t read_byte(long proc, uint64_t at)
{
	uint8_t b = 0;

	EXPECT_EQ(ts_vm_read(proc, at, &b, 1), 0);
	return b;
}

static uint64_t free_pages(void)
{
	struct ts_stats st;

	EXPECT_EQ(ts_stats(&st), 0);
	return st.free_pages;
}

static void test_bad_arguments(void)
{
	long ep = ts_ep_create(), weak = ts_cap_mint(child, 0, 0);
	uint64_t before = free_pages();

	EXPECT_EQ(ts_vm_share(child, DST + 1, (void *)SRC, PAGE, RW), -EINVAL);
	EXPECT_EQ(ts_vm_share(child, DST, (void *)(SRC + 8), PAGE, RW), -EINVAL);
	EXPECT_EQ(ts_vm_share(child, DST, (void *)SRC, 100, RW), -EINVAL);
	EXPECT_EQ(ts_vm_share(child, DST, (void *)SRC, 0, RW), -EINVAL);
	EXPECT_EQ(ts_vm_share(child, DST, (void *)SRC, PAGE, 8), -EINVAL);
	/* kernel addresses, and ranges that end past user space or wrap */
	EXPECT_EQ(ts_vm_share(child, 0xffff800000000000ull, (void *)SRC, PAGE, RW), -EINVAL);
	EXPECT_EQ(ts_vm_share(child, DST, (void *)0xffffffff80000000ull, PAGE, RW), -EINVAL);
	EXPECT_EQ(ts_vm_share(child, 0x00007ffffffff000ull, (void *)SRC, 2 * PAGE, RW), -EINVAL);
	EXPECT_EQ(ts_vm_share(child, DST, (void *)SRC, -PAGE, RW), -EINVAL);
	/* pages we do not hold: the third is not mapped, and one never touched
	 * has no frame yet */
	EXPECT_EQ(ts_vm_share(child, DST, (void *)SRC, 4 * PAGE, RW), -EFAULT);
	EXPECT_EQ(ts_vm_map(TS_SELF, SRC + 4 * PAGE, PAGE, RW), 0);
	EXPECT_EQ(ts_vm_share(child, DST, (void *)(SRC + 4 * PAGE), PAGE, RW), -EFAULT);
	EXPECT_EQ(ts_vm_unmap(TS_SELF, SRC + 4 * PAGE, PAGE), 0);
	/* a destination page already mapped: the others were not shared */
	EXPECT_EQ(ts_vm_map(child, DST + 2 * PAGE, PAGE, RW), 0);
	EXPECT_EQ(ts_vm_share(child, DST, (void *)SRC, 3 * PAGE, RW), -EEXIST);
	EXPECT(ts_vm_read(child, DST, &(uint8_t){ 0 }, 1) < 0);
	EXPECT_EQ(ts_vm_unmap(child, DST + 2 * PAGE, PAGE), 0);
	/* capabilities: none, not a process, a process without the control right */
	EXPECT_EQ(ts_vm_share(200, DST, (void *)SRC, PAGE, RW), -EBADF);
	EXPECT_EQ(ts_vm_share(ep, DST, (void *)SRC, PAGE, RW), -EBADF);
	EXPECT(weak >= 0);
	EXPECT_EQ(ts_vm_share(weak, DST, (void *)SRC, PAGE, RW), -EPERM);
	EXPECT_EQ(free_pages(), before);
	ts_cap_delete(weak);
	ts_cap_delete(ep);
}

/* Each side's writes stay its own; read-only pages stay read-only. */
static void test_copy_on_write(void)
{
	volatile uint8_t *src = (volatile uint8_t *)SRC;

	EXPECT_EQ(ts_vm_share(child, DST, (void *)SRC, 3 * PAGE, RW), 0);
	EXPECT_EQ(read_byte(child, DST + PAGE + 5), 0x11);
	EXPECT_EQ(ts_vm_write(child, DST, "\x22", 1), 0);      /* the child writes */
	EXPECT_EQ(src[0], 0x11);
	src[PAGE] = 0x33;                                       /* we write */
	EXPECT_EQ(read_byte(child, DST + PAGE), 0x11);
	EXPECT_EQ(read_byte(child, DST), 0x22);
	EXPECT_EQ(ts_vm_share(child, DST + 4 * PAGE, (void *)SRC, PAGE, TS_PROT_READ), 0);
	EXPECT_EQ(ts_vm_write(child, DST + 4 * PAGE, "\x44", 1), -EFAULT);
	EXPECT_EQ(ts_vm_unmap(child, DST, 5 * PAGE), 0);
	/* into ourselves: the copy is apart from the original too */
	EXPECT_EQ(ts_vm_share(TS_SELF, DST, (void *)SRC, PAGE, RW), 0);
	*(volatile uint8_t *)DST = 0x55;
	EXPECT_EQ(src[0], 0x11);
	EXPECT_EQ(ts_vm_unmap(TS_SELF, DST, PAGE), 0);
}

/* Frames come back when the last holder lets go. */
static void test_no_leak(void)
{
	EXPECT_EQ(ts_vm_share(child, DST, (void *)SRC, 3 * PAGE, RW), 0);
	EXPECT_EQ(ts_vm_unmap(child, DST, 3 * PAGE), 0);       /* page tables stay */
	uint64_t before = free_pages();
	for (int i = 0; i < 1000; i++) {
		ts_vm_share(child, DST, (void *)SRC, 3 * PAGE, RW);
		ts_vm_write(child, DST + PAGE, "x", 1);         /* one page copied */
		ts_vm_unmap(child, DST, 3 * PAGE);
	}
	EXPECT_EQ(free_pages(), before);
}

int main(void)
{
	struct ts_spawn_args a = { .name = "share-target" };

	child = ts_proc_create(&a);
	EXPECT(child >= 0);
	/* the child's page tables at DST come first: free page counts compare */
	EXPECT_EQ(ts_vm_map(child, DST, 5 * PAGE, RW), 0);
	EXPECT_EQ(ts_vm_unmap(child, DST, 5 * PAGE), 0);
	EXPECT_EQ(ts_vm_map(TS_SELF, SRC, 3 * PAGE, RW), 0);
	for (uint64_t i = 0; i < 3 * PAGE; i++)
		((volatile uint8_t *)SRC)[i] = 0x11;
	test_bad_arguments();
	test_copy_on_write();
	test_no_leak();
	/* a process that ends drops the frames it shared */
	EXPECT_EQ(ts_vm_share(child, DST, (void *)SRC, 3 * PAGE, RW), 0);
	EXPECT_EQ(ts_proc_kill(child), 0);
	EXPECT_EQ(ts_cap_delete(child), 0);
	EXPECT_EQ(ts_vm_unmap(TS_SELF, SRC, 3 * PAGE), 0);
	return checks_done("vm_share_test");
}
