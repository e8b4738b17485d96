/* Assertions for in-OS test programs: one log line per failure, a summary
 * line, and the exit status init checks (0 only if every check passed). */
#ifndef CHECK_H
#define CHECK_H

#include <tessera.h>

static int checks_passed, checks_failed;

#define EXPECT(cond)                                                      \
	do {                                                                  \
		if (cond) {                                                       \
			checks_passed++;                                              \
		} else {                                                          \
			checks_failed++;                                              \
			ts_print("FAIL line %d: %s", __LINE__, #cond);                \
		}                                                                 \
	} while (0)

#define EXPECT_EQ(a, b)                                                   \
	do {                                                                  \
		long check_a_ = (long)(a), check_b_ = (long)(b);                  \
		if (check_a_ == check_b_) {                                       \
			checks_passed++;                                              \
		} else {                                                          \
			checks_failed++;                                              \
			ts_print("FAIL line %d: %s = %ld, expected %ld", __LINE__,    \
				 #a, check_a_, check_b_);                                 \
		}                                                                 \
	} while (0)

static inline int checks_done(const char *name)
{
	ts_print("%s: %d passed, %d failed", name, checks_passed, checks_failed);
	return checks_failed ? 1 : 0;
}

#endif
