/* The crash corpus (tests/fuzz/corpus/): every file an entry, replayed in
 * name order; each line one of
 *   # a comment (what was found, where it was fixed)
 *   uid N             the uid the calls run as (default 0)
 *   seed S calls A N  generated calls A..A+N-1 of seed S
 *   call NR A0..A5    one call (a minimal sequence: these, in one child)
 * Numbers in C syntax (0x… hexadecimal). A child that stalls (a call that
 * neither ends nor is interrupted by SIGALRM in time) fails a replay, and
 * so does a call of a sequence that ends its child. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

#define MAX_ENTRIES 256
#define MAX_CALLS   64

struct entry {
	int uid;
	uint64_t seed, first, count;  /* count 0: no generated calls */
	struct call list[MAX_CALLS];
	unsigned ncalls;
};

static int parse_line(struct entry *e, char *line)
{
	char *w = strtok(line, " \t\n"), *end;

	if (!w || *w == '#')
		return 0;
	if (!strcmp(w, "uid") && (w = strtok(0, " \t\n"))) {
		e->uid = strtol(w, &end, 0);
		return *end != 0;
	}
	uint64_t v[7] = { 0 };
	int call = !strcmp(w, "call"), n = 0;
	if (!call && strcmp(w, "seed"))
		return 1;
	while ((w = strtok(0, " \t\n")) && n < 7) {
		if (!call && n == 1 && !strcmp(w, "calls"))
			continue;
		v[n++] = strtoull(w, &end, 0);
		if (*end)
			return 1;
	}
	if (call) {
		if (n < 1 || e->ncalls == MAX_CALLS)
			return 1;
		e->list[e->ncalls++] = (struct call){ v[0], { v[1], v[2], v[3], v[4], v[5], v[6] } };
		return 0;
	}
	e->seed = v[0], e->first = v[1], e->count = v[2];
	return n != 3;
}

static int replay(const char *dir, const char *name)
{
	static struct entry e;
	char path[256], line[256];
	unsigned lineno = 0;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return say("FAIL: corpus %s cannot be read", name), 1;
	memset(&e, 0, sizeof e);
	while (fgets(line, sizeof line, f))
		if (lineno++, parse_line(&e, line)) {
			fclose(f);
			return say("FAIL: corpus %s line %u", name, lineno), 1;
		}
	fclose(f);
	say("corpus %s: replaying", name);
	if ((e.count && run_calls(e.seed, e.first, e.count, e.uid)) ||
	    (e.ncalls && run_list(e.list, e.ncalls, e.uid)))
		return 1;
	say("corpus %s: ok", name);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int corpus_replay(const char *dir)
{
	static char *names[MAX_ENTRIES];
	unsigned n = 0, failed = 0;
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return say("FAIL: no corpus at %s", dir), 1;
	stall_fails = 1;  /* an entry's calls end or are interrupted in time */
	while ((de = readdir(d)) && n < MAX_ENTRIES)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	for (unsigned i = 0; i < n && !failed; i++)
		failed += replay(dir, names[i]);
	say("corpus: %u entries, %s", n, failed ? "FAILED" : "all replayed clean");
	return failed != 0;
}
