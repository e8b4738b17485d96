/* Boot modules: "name args…" on each GRUB module2 line. */
#include <bootinfo.h>
#include <bootmod.h>
#include <common.h>
#include <mm.h>

static struct bootmod mods[BOOT_MAX_MODULES];
static unsigned nmods;

void bootmod_init(void)
{
	for (unsigned i = 0; i < boot_info.nmodules; i++) {
		const struct boot_module *bm = &boot_info.module[i];
		struct bootmod *m = &mods[nmods++];
		const char *cmd = bm->cmdline;
		size_t n = 0;

		m->image = phys_to_virt(bm->start);
		m->size = bm->end - bm->start;
		while (cmd[n] && cmd[n] != ' ')
			n++;
		memcpy(m->name, cmd, MIN(n, sizeof m->name - 1));
		while (cmd[n] == ' ')
			n++;
		strlcpy(m->args, cmd + n, sizeof m->args);
	}
}

unsigned bootmod_count(void) { return nmods; }

struct bootmod *bootmod_get(unsigned i)
{
	return i < nmods ? &mods[i] : NULL;
}

struct bootmod *bootmod_find(const char *name)
{
	for (unsigned i = 0; i < nmods; i++)
		if (!strcmp(mods[i].name, name))
			return &mods[i];
	return NULL;
}
