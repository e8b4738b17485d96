/* Runs every TEST() linked into the binary; exit status 1 if any failed. */
#include "unit.h"

extern const struct unit_test __start_unit_tests[];
extern const struct unit_test __stop_unit_tests[];

int main(void)
{
	int passed = 0, failed = 0;

	for (const struct unit_test *t = __start_unit_tests; t < __stop_unit_tests; t++) {
		int f = 0;
		t->fn(&f);
		if (f) {
			printf("FAIL %s\n", t->name);
			failed++;
		} else {
			passed++;
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
