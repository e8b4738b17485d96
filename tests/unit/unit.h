/*
 * A tiny host unit-test harness. Each test file defines tests with TEST()
 * and the runner (unit_main.c) calls them all, printing one line per failure
 * and the plain closing line "unit: N passed, N failed".
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(int *failed);
};

#define TEST(name)                                                        \
	static void name(int *unit_failed_);                                  \
	static const struct unit_test unit_rec_##name                         \
		__attribute__((used, section("unit_tests"), aligned(8))) =        \
		{ #name, name };                                                  \
	static void name(int *unit_failed_)

#define CHECK(cond)                                                       \
	do {                                                                  \
		if (!(cond)) {                                                    \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,     \
			       #cond);                                                \
			*unit_failed_ = 1;                                            \
		}                                                                 \
	} while (0)

#define CHECK_EQ(a, b)                                                    \
	do {                                                                  \
		long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);     \
		if (unit_a_ != unit_b_) {                                         \
			printf("  %s:%d: %s == %lld, expected %s == %lld\n",          \
			       __FILE__, __LINE__, #a, unit_a_, #b, unit_b_);         \
			*unit_failed_ = 1;                                            \
		}                                                                 \
	} while (0)

#endif
