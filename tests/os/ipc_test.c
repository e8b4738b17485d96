/* IPC and capability behaviour seen from user space: the echo server, bad
 * capabilities, bad pointers, oversized and out-of-bounds grants, deferred
 * replies, notifications, capability transfer through the name service. */
#include "check.h"
#include <proto/echo_client.h>

static long echo;

static long call_with_grant(uint64_t label, void *buf, uint64_t len, uint64_t flags)
{
	struct ts_msg m = ts_msg_make(label);

	m.buf = (uint64_t)buf;
	m.buf_len = len;
	m.buf_flags = flags;
	long err = ts_call(echo, &m);
	return err ? err : (long)m.label;
}

static void test_ping(void)
{
	const uint64_t k = 0x1111111111111111ull;
	uint64_t w[TS_MSG_WORDS] = { 0 };

	EXPECT_EQ(echo_ping_call(echo, k, 2 * k, 3 * k, 4 * k, 5 * k, 6 * k,
				 &w[0], &w[1], &w[2], &w[3], &w[4], &w[5]), ECHO_PING);
	for (int i = 0; i < TS_MSG_WORDS; i++)
		EXPECT(w[i] == k * (i + 1));
}

static void test_bad_caps(void)
{
	struct ts_msg m = ts_msg_make(ECHO_PING);
	long ep = ts_ep_create();

	EXPECT_EQ(ts_call(200, &m), -EBADF);            /* empty slot */
	EXPECT_EQ(ts_call(1u << 31, &m), -EBADF);       /* out of range */
	EXPECT(ep >= 0);
	long recv_only = ts_cap_mint(ep, TS_RIGHT_RECV, 0);
	EXPECT_EQ(ts_call(recv_only, &m), -EPERM);      /* no send right */
	EXPECT_EQ(ts_recv(echo, &m), -EPERM);           /* no receive right */
	EXPECT_EQ(ts_cap_mint(echo, TS_RIGHT_SEND, 77), -EPERM);  /* no mint right */
	EXPECT_EQ(ts_cap_delete(recv_only), 0);
	EXPECT_EQ(ts_cap_delete(recv_only), -EBADF);
	/* it holds no process, I/O port or DMA capability at all */
	EXPECT_EQ(ts_cap_give(echo, ep, TS_RIGHTS_ALL, 0), -EPERM);
	EXPECT_EQ(ts_proc_kill(echo), -EPERM);
	EXPECT_EQ(ts_ioport_enable(ep), -EPERM);
	EXPECT_EQ(ts_dma_alloc(ep, 4096, 0x40000000), -EPERM);
	EXPECT_EQ(ts_cap_delete(ep), 0);
}

/* An IPC syscall whose message tail is at ptr, bypassing the runtime's
 * wrapper (which would itself fault on a bad pointer). */
static long raw_ipc(long nr, uint64_t ep, uint64_t ptr)
{
	register uint64_t r15 __asm__("r15") = TS_MSGF_TAIL;
	uint64_t rdx = 0;
	long ret = nr;

	__asm__ volatile("syscall"
			 : "+a"(ret), "+D"(ep), "+S"(ptr), "+d"(rdx), "+r"(r15)
			 :
			 : "rcx", "r11", "rbx", "r8", "r9", "r10", "r12", "r13", "r14", "memory");
	return ret;
}

static long sender_result = 1;
static uint8_t sender_stack[16384] __attribute__((aligned(16)));

/* Sends a capability to the endpoint given in arg. */
static void cap_sender(uint64_t ep)
{
	struct ts_msg m = ts_msg_make(1);

	m.cap = ep;
	sender_result = ts_call(ep, &m);
	for (;;)
		ts_sleep(1000000000);
}

static void test_bad_pointers(void)
{
	struct ts_msg m = ts_msg_make(ECHO_PING);

	EXPECT_EQ(raw_ipc(TS_SYS_CALL, echo, 0x10), -EFAULT);
	EXPECT_EQ(raw_ipc(TS_SYS_CALL, echo, 0xffffffff80000000ull), -EFAULT);
	EXPECT_EQ(raw_ipc(TS_SYS_CALL, echo, 0x0000800000000000ull), -EFAULT);
	EXPECT_EQ(raw_ipc(TS_SYS_CALL, echo, ~0ull - 8), -EFAULT);
	EXPECT_EQ(TS_CALL2(TS_SYS_LOG, 0x1000, 10), -EFAULT);
	EXPECT_EQ(TS_CALL2(TS_SYS_LOG, (uintptr_t)"x", ~0ull), 0);   /* clamped */
	EXPECT_EQ(ts_stats((struct ts_stats *)0xffff800000000000ull), -EFAULT);
	EXPECT_EQ(ts_stats((struct ts_stats *)(uintptr_t)test_ping), -EFAULT); /* text */
	EXPECT_EQ(ts_call(echo, &m), 0);                /* still works */

	/* a receiver whose tail cannot be written fails, and so does its
	 * caller: nobody is left waiting for a reply that cannot come */
	long ep = ts_ep_create();
	EXPECT(ts_thread_create(cap_sender, sender_stack + sizeof sender_stack, ep) > 0);
	ts_sleep(10000000);
	EXPECT_EQ(raw_ipc(TS_SYS_RECV, ep, 0x10), -EFAULT);
	for (int i = 0; i < 100 && sender_result == 1; i++)
		ts_sleep(1000000);
	EXPECT_EQ(sender_result, -EFAULT);
}

static void test_grants(void)
{
	static uint8_t buf[64 << 10];

	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)i;
	EXPECT_EQ(echo_increment_call(echo, buf, 4096), 4096);
	EXPECT(buf[0] == 1 && buf[4095] == 0 && buf[4096] == 0);
	EXPECT_EQ(echo_increment_call(echo, buf, sizeof buf), (long)sizeof buf);
	int bad = 0;
	for (size_t i = 0; i < sizeof buf; i++)
		bad += buf[i] != (uint8_t)(i + 1 + (i < 4096));
	EXPECT_EQ(bad, 0);
	/* the server may not write where it was only allowed to read */
	EXPECT_EQ(call_with_grant(ECHO_OVERWRITE, buf, 16, TS_GRANT_READ), -EPERM);
	/* nor is a call whose grant lacks the access it declares served at all */
	EXPECT_EQ(call_with_grant(ECHO_INCREMENT, buf, 16, TS_GRANT_READ), -EFAULT);
	/* nor read past the end of what it was granted */
	EXPECT_EQ(call_with_grant(ECHO_OVERREAD, buf, 100, TS_GRANT_READ), -EFAULT);
	/* a grant over unmapped memory fails in the server, cleanly */
	EXPECT_EQ(call_with_grant(ECHO_SINK, (void *)0x50000000, 4096, TS_GRANT_READ), -EFAULT);
	/* oversized, kernel-space and malformed grants never reach the server */
	EXPECT_EQ(call_with_grant(ECHO_SINK, buf, TS_GRANT_MAX + 1ull, TS_GRANT_READ), -EMSGSIZE);
	EXPECT_EQ(call_with_grant(ECHO_SINK, (void *)0xffff800000000000ull, 4096, TS_GRANT_READ),
		  -EFAULT);
	EXPECT_EQ(call_with_grant(ECHO_SINK, buf, 16, 0x80), -EINVAL);
	/* copy through a reply handle nobody gave us */
	EXPECT_EQ(ts_grant_copy(12345, 0, buf, 16, TS_COPY_FROM_CALLER), -ESRCH);
}

static volatile long parked_result = 1;
static uint8_t park_stack[16384] __attribute__((aligned(16)));

static void park_thread(uint64_t arg)
{
	(void)arg;
	parked_result = echo_park_call(echo);
	for (;;)
		ts_sleep(1000000000);
}

static void test_deferred_reply(void)
{
	EXPECT(ts_thread_create(park_thread, park_stack + sizeof park_stack, 0) > 0);
	ts_sleep(20000000);
	EXPECT_EQ(parked_result, 1);                  /* still waiting */
	EXPECT_EQ(echo_ping_call(echo, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL),
		  ECHO_PING);                           /* the server is not stalled */
	EXPECT_EQ(echo_release_call(echo), 1);        /* one caller was parked */
	for (int i = 0; i < 100 && parked_result == 1; i++)
		ts_sleep(1000000);
	EXPECT_EQ(parked_result, 0);
}

static void test_notifications(void)
{
	struct ts_msg m;
	long ep = ts_ep_create();

	EXPECT_EQ(ts_notify(ep, 0x5), 0);
	EXPECT_EQ(ts_notify(ep, 0x2), 0);
	EXPECT_EQ(ts_notify(ep, 0), -EINVAL);
	EXPECT_EQ(ts_recv(ep, &m), 0);
	EXPECT(m.label == TS_LABEL_NOTIFY);
	EXPECT_EQ(m.word[0], 0x7);                     /* bits accumulate */
	uint64_t t0 = ts_clock();
	EXPECT_EQ(ts_recv_timeout(ep, &m, 10000000), -ETIMEDOUT);
	EXPECT(ts_clock() - t0 >= 10000000);
	ts_cap_delete(ep);
}

static void test_names(void)
{
	struct ts_msg m;
	long ep = ts_ep_create();

	EXPECT_EQ(names_register("ipctest", ep), 0);
	EXPECT_EQ(names_register("ipctest", ep), -EEXIST);
	EXPECT_EQ(names_lookup("nosuchname", false), -ENOENT);
	long other = names_lookup("ipctest", false);
	EXPECT(other >= 0 && other != ep);
	/* the transferred capability names our endpoint, with send right only */
	EXPECT_EQ(ts_notify(other, 0x10), 0);
	EXPECT_EQ(ts_recv(ep, &m), 0);
	EXPECT_EQ(m.word[0], 0x10);
	EXPECT_EQ(ts_recv(other, &m), -EPERM);
}

static void test_memory(void)
{
	volatile uint64_t *p = (volatile uint64_t *)0x20000000;

	EXPECT_EQ(ts_vm_map(TS_SELF, 0x20000000, 8192, TS_PROT_READ | TS_PROT_WRITE), 0);
	p[0] = 1;
	p[1023] = 2;
	EXPECT(p[0] + p[1023] == 3);
	EXPECT_EQ(ts_vm_map(TS_SELF, 0x20000000, 4096, TS_PROT_READ), -EEXIST);
	EXPECT_EQ(ts_vm_map(TS_SELF, 0x20000001, 4096, TS_PROT_READ), -EINVAL);
	EXPECT_EQ(ts_vm_map(TS_SELF, 0xffff800000000000ull, 4096, TS_PROT_READ), -EINVAL);
	EXPECT_EQ(ts_vm_unmap(TS_SELF, 0x20000000, 8192), 0);
}

int main(void)
{
	echo = names_lookup("echo", true);
	EXPECT(echo >= 0);
	test_ping();
	test_bad_caps();
	test_bad_pointers();
	test_grants();
	test_deferred_reply();
	test_notifications();
	test_names();
	test_memory();
	/* a Linux syscall number with no personality installed */
	EXPECT_EQ(ts_syscall(39, 0, 0, 0, 0, 0, 0), -ENOSYS);
	EXPECT_EQ(ts_syscall(TS_SYS_END, 0, 0, 0, 0, 0, 0), -ENOSYS);
	return checks_done("ipc_test");
}
