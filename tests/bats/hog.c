/* A memory hog for oom.bats (never run on the host): as uid 1000 if asked
 * (hog 1000), it maps memory 16 MiB at a time, each within Linux's
 * overcommit, and touches every page until the OOM policy kills it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK (16ul << 20)

int main(int argc, char **argv)
{
	if (argc > 1 && setuid((uid_t)atoi(argv[1]))) {
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
		for (unsigned long off = 0; off < CHUNK; off += 4096)
			p[off] = 1;
	}
}
