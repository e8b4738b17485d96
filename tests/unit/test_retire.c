/* Host tests for the PM's grace period (posix/pm/retire.c): freed memory is
 * what ASan has poisoned. */
#include "unit.h"
#include <sanitizer/asan_interface.h>
#include <stdlib.h>
#include "../../posix/pm/retire.h"

struct entry {
	int pid;
	struct retired retired;
};

static struct entry *entry_retired(void)
{
	struct entry *e = malloc(sizeof *e);

	info_retire(&e->retired, e);
	return e;
}

static int freed(const struct entry *e)
{
	return __asan_address_is_poisoned(&e->pid);
}

TEST(retire_with_no_answer_in_flight_frees_at_the_next_reclaim)
{
	struct entry *e = entry_retired();

	CHECK(!freed(e));                   /* the request that retired it may hold it */
	info_reclaim();
	CHECK(freed(e));
}

TEST(retire_during_an_answer_frees_only_after_it_ends)
{
	info_answer_begin();
	struct entry *e = entry_retired();
	info_reclaim();
	CHECK(!freed(e));
	info_answer_end();
	info_reclaim();
	CHECK(freed(e));
}

TEST(retire_during_an_answer_waits_for_that_one_only)
{
	info_answer_begin();
	struct entry *during = entry_retired();
	info_answer_end();
	info_answer_begin();                /* a later answer cannot have found it */
	struct entry *later = entry_retired();
	info_reclaim();
	CHECK(freed(during));
	CHECK(!freed(later));
	info_answer_end();
	info_reclaim();
	CHECK(freed(later));
}
