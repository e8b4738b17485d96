/* The freestanding printf shared by the kernel and native programs
 * (lib/common/format.c, built here under the names common_*printf). */
#include "unit.h"
#include <common.h>

static const char *fmt(const char *f, ...)
{
	static char buf[128];
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	return buf;
}

TEST(format_integers)
{
	CHECK(strcmp(fmt("%d %i %u", -42, 7, 3000000000u), "-42 7 3000000000") == 0);
	CHECK(strcmp(fmt("%ld", (long)-9223372036854775807L - 1), "-9223372036854775808") == 0);
	CHECK(strcmp(fmt("%lu", ~0ul), "18446744073709551615") == 0);
	CHECK(strcmp(fmt("%x %X %#x %#lx", 255, 255, 255, 0ul), "ff FF 0xff 0") == 0);
	CHECK(strcmp(fmt("%5d|%-5d|%05d", 42, 42, -42), "   42|42   |-0042") == 0);
	CHECK(strcmp(fmt("%016lx", 0xabcul), "0000000000000abc") == 0);
	CHECK(strcmp(fmt("%zu", (size_t)12), "12") == 0);
}

TEST(format_strings_and_chars)
{
	CHECK(strcmp(fmt("%s|%.3s|%6s|%-4s|", "abc", "abcdef", "ab", "x"), "abc|abc|    ab|x   |") == 0);
	CHECK(strcmp(fmt("%s", (char *)NULL), "(null)") == 0);
	CHECK(strcmp(fmt("%c%c%%", 'o', 'k'), "ok%") == 0);
	CHECK(strcmp(fmt("%p", (void *)0x1234), "0x1234") == 0);
}

TEST(format_truncates_and_counts)
{
	char small[5];

	CHECK_EQ(snprintf(small, sizeof small, "%s", "hello world"), 11);
	CHECK(strcmp(small, "hell") == 0);
	CHECK_EQ(snprintf(small, 0, "abc"), 3);
	CHECK_EQ(snprintf(small, 1, "abc"), 3);
	CHECK_EQ(small[0], 0);
}
