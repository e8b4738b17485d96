/*
 * The names of mapped files (/proc/<pid>/maps), kept once however many
 * regions and processes map the file. No counts: when the table is full,
 * the names no region has any more are dropped. A name too long for an
 * entry, or with the table full of names in use, is not kept: its regions
 * show none, and everything else works.
 */
#include "pm.h"

static char names[MAPNAMES][PM_MAP_NAME_MAX];     /* "": free */

static int find(const char *name)
{
	for (int i = 0; i < MAPNAMES; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

uint16_t mapname_intern(const char *name, void (*mark)(bool used[MAPNAMES]))
{
	if (!*name || strlen(name) >= PM_MAP_NAME_MAX)
		return 0;
	int i = find(name);
	if (i < 0 && (i = find("")) < 0) {
		bool used[MAPNAMES] = { false };
		mark(used);
		for (int j = 0; j < MAPNAMES; j++)
			if (!used[j])
				names[j][0] = 0;
		i = find("");
	}
	if (i < 0)
		return 0;
	strlcpy(names[i], name, sizeof names[i]);
	return (uint16_t)(i + 1);
}

const char *mapname(uint16_t id)
{
	return id ? names[id - 1] : "";
}
