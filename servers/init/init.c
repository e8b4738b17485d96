/*
 * init, the first user process: the kernel gives it a capability to every
 * resource. It starts the name service, then every other boot module, each
 * with only the capabilities its module line asks for:
 *
 *   module2 /boot/NAME NAME [test] [wait] [expect=STATUS] [irq=N]
 *           [ioport=BASE:LEN[,BASE:LEN…]] [mmio=BASE:LEN[,…]] [dma] [system]
 *           [spawn[=PRIO]] [log] [programs] [posix]
 *
 * test: a test program; init checks its exit status (0, or STATUS).
 * wait: before going on, wait for every test started so far.
 * system: give it the system capability (poweroff, syscall routing).
 * spawn: it may create processes, with priorities up to PRIO (default 10,
 * the servers'). log: it may write to the kernel log.
 * posix: a POSIX program; init does not start it but hands it to the
 * module marked programs (the process manager).
 * Each process gets a struct ts_startinfo (its arguments, the modules it
 * was handed) mapped at TS_STARTINFO_ADDR, its address in rdi.
 * With "poweroff" on the kernel command line init powers the machine off
 * when all tests are done, with status 0 only if every one passed.
 */
#include <tessera.h>
#include "init.h"

#define MAX_TESTS 16

struct test {
	char name[24];
	uint32_t slot;
	long expect;
	bool done;
};

static struct test tests[MAX_TESTS];
static unsigned ntests, passed, failed;

static void wait_tests(void)
{
	for (unsigned i = 0; i < ntests; i++) {
		struct test *t = &tests[i];
		if (t->done)
			continue;
		long status = ts_proc_wait(t->slot);
		t->done = true;
		if (status == t->expect) {
			passed++;
			ts_print("test %s: ok (status %#lx)", t->name, status);
		} else {
			failed++;
			ts_print("test %s: FAILED (status %#lx, expected %#lx)", t->name,
				 status, t->expect);
		}
	}
}

/* Hand p the POSIX programs (if it manages them) and its start info. */
static long give_startinfo(const struct ts_bootinfo *bi, uint32_t p, const char *args)
{
	static struct ts_startinfo si;

	memset(&si, 0, sizeof si);
	strlcpy(si.args, args, sizeof si.args);
	for (unsigned i = 0; arg_flag(args, "programs") && i < bi->module_count; i++) {
		if (!arg_flag(bi->module[i].args, "posix"))
			continue;
		long slot = ts_cap_give(p, bi->module[i].slot, TS_RIGHTS_ALL, 0);
		if (slot < 0)
			return slot;
		si.module[si.module_count].slot = slot;
		si.module[si.module_count].size = bi->module[i].size;
		strlcpy(si.module[si.module_count++].name, bi->module[i].name,
			sizeof si.module[0].name);
	}
	long err = ts_vm_map(p, TS_STARTINFO_ADDR, 4096, TS_PROT_READ | TS_PROT_WRITE);
	return err < 0 ? err : ts_vm_write(p, TS_STARTINFO_ADDR, &si, sizeof si);
}

static long spawn(const struct ts_bootinfo *bi, unsigned i, uint32_t names_ep,
		  unsigned names_rights)
{
	struct ts_spawn_args a = { 0 };
	const char *args = bi->module[i].args;

	strlcpy(a.name, bi->module[i].name, sizeof a.name);
	long p = ts_proc_spawn(bi->module[i].slot, &a);
	if (p < 0)
		return p;
	long err = ts_cap_give(p, names_ep, names_rights, 0);
	if (err >= 0)
		err = give_module_caps(bi, p, args);
	if (err >= 0)
		err = give_authority(bi, p, args);
	if (err >= 0)
		err = give_startinfo(bi, p, args);
	if (err < 0) {
		ts_proc_kill(p);
		return err;
	}
	return p;
}

static void start_module(const struct ts_bootinfo *bi, unsigned i, uint32_t names_ep)
{
	const char *name = bi->module[i].name, *args = bi->module[i].args;

	if (arg_flag(args, "posix"))
		return;             /* the process manager runs it */
	long p = spawn(bi, i, names_ep, TS_RIGHT_SEND | TS_RIGHT_GRANT);
	if (p < 0 || ts_proc_start(p, TS_STARTINFO_ADDR) < 0) {
		ts_print("cannot start %s: %ld", name, p);
		return;
	}
	if (arg_flag(args, "test") && ntests < MAX_TESTS) {
		struct test *t = &tests[ntests++];
		strlcpy(t->name, name, sizeof t->name);
		t->slot = p;
		t->expect = arg_number(args, "expect", 0);
	}
	if (arg_flag(args, "wait"))
		wait_tests();
}

static int start_names(const struct ts_bootinfo *bi, uint32_t *names_ep)
{
	long ep = ts_ep_create();

	for (unsigned i = 0; ep >= 0 && i < bi->module_count; i++) {
		if (strcmp(bi->module[i].name, "names"))
			continue;
		long p = spawn(bi, i, ep, TS_RIGHT_RECV);
		if (p < 0 || ts_proc_start(p, TS_STARTINFO_ADDR) < 0)
			break;
		*names_ep = ep;
		return 0;
	}
	ts_print("cannot start the name service");
	return -1;
}

int main(const struct ts_bootinfo *bi)
{
	uint32_t names_ep;

	if (start_names(bi, &names_ep))
		return 1;
	for (unsigned i = 0; i < bi->module_count; i++)
		if (strcmp(bi->module[i].name, "names"))
			start_module(bi, i, names_ep);
	wait_tests();
	if (ntests)
		ts_print("tests: %u passed, %u failed", passed, failed);
	if (arg_flag(bi->cmdline, "poweroff"))
		ts_poweroff(bi->system_slot, failed ? 1 : 0);
	ts_print("system up; quit QEMU with Ctrl-A X");
	for (;;)
		ts_sleep(~0ull >> 2);
}
