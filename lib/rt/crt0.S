/* Entry of a native Tessera program: rdi carries the start argument (init
 * gets its struct ts_bootinfo). main's return value is the exit status. */
	.text
	.global _start
_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call main
	movl %eax, %edi
	call ts_exit
	ud2
