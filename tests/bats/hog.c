/* A memory hog for oom.bats (never run on the host): hog [UID [STRIDE]]
 * becomes UID if given (not "-"), then maps memory 16 MiB at a time, each
 * within Linux's overcommit, and touches a byte every STRIDE KiB (4: every
 * page; 2048: a page table's worth) until it is killed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK (16ul << 20)

int main(int argc, char **argv)
{
	unsigned long stride = argc > 2 ? strtoul(argv[2], NULL, 10) << 10 : 4096;

	if (argc > 1 && strcmp(argv[1], "-") && setuid((uid_t)atoi(argv[1]))) {
		perror("setuid");
		return 1;
	}
	printf("hog: uid %d\n", (int)getuid());
	fflush(stdout);
	for (unsigned long total = 0;; total += CHUNK) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED) {
			printf("hog: mmap failed after %lu MiB\n", total >> 20);
			return 2;
		}
		for (unsigned long off = 0; off < CHUNK; off += stride)
			p[off] = 1;
	}
}
