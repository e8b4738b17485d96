/* Malformed interface files: scripts/idlgen.py rejects each in
 * tests/unit/idl/bad with "FILE:LINE: message", as its first line says
 * ("# expect: LINE: message"). Run from the top of the tree. */
#include <dirent.h>
#include <stdlib.h>
#include "unit.h"

#define BAD_DIR "tests/unit/idl/bad"

/* The generator's first line of complaint about path, or "" if none. */
static void complaint(const char *path, char *out, size_t size)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "python3 scripts/idlgen.py --check %s 2>&1", path);
	FILE *p = popen(cmd, "r");
	out[0] = 0;
	if (p && fgets(out, (int)size, p))
		out[strcspn(out, "\n")] = 0;
	if (p && pclose(p) == 0)
		snprintf(out, size, "(accepted)");
}

static void expected(const char *path, char *out, size_t size)
{
	char line[256] = "";
	FILE *f = fopen(path, "r");

	if (f && fgets(line, sizeof line, f))
		line[strcspn(line, "\n")] = 0;
	if (f)
		fclose(f);
	const char *msg = strncmp(line, "# expect: ", 10) ? "(no expect line)" : line + 10;
	snprintf(out, size, "%s:%s", path, msg);
}

TEST(idlgen_rejects_malformed_files_with_their_line)
{
	DIR *d = opendir(BAD_DIR);
	int files = 0;

	CHECK(d != NULL);
	for (struct dirent *e; d && (e = readdir(d));) {
		char path[300], want[400], got[400];
		if (!strstr(e->d_name, ".idl"))
			continue;
		snprintf(path, sizeof path, "%s/%s", BAD_DIR, e->d_name);
		expected(path, want, sizeof want);
		complaint(path, got, sizeof got);
		if (strcmp(want, got))
			printf("  %s: expected \"%s\", got \"%s\"\n", path, want, got);
		CHECK(strcmp(want, got) == 0);
		files++;
	}
	if (d)
		closedir(d);
	CHECK(files >= 10);
}

TEST(idlgen_accepts_the_protocols)
{
	const char *files[] = { "include/tessera/proto/names.idl", "include/tessera/proto/echo.idl",
				"tests/unit/idl/idltest.idl" };

	for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++) {
		char got[400];
		complaint(files[i], got, sizeof got);
		CHECK(strcmp(got, "(accepted)") == 0);
	}
}
