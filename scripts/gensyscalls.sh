#!/bin/sh
# Generate from posix/syscalls.tbl:
#   gensyscalls.sh names  > linux_syscalls.c   the name of every number
#   gensyscalls.sh routes > syscall_routes.h   numbers per owner, for routing
set -eu
tbl=$(dirname "$0")/../posix/syscalls.tbl
case ${1:-} in
names)
	echo '/* Generated from posix/syscalls.tbl by scripts/gensyscalls.sh. */'
	echo '#include <tessera/linux_syscalls.h>'
	echo 'const char *const linux_syscall_names[LINUX_SYSCALL_MAX] = {'
	awk '!/^#/ && NF >= 4 { printf "\t[%d] = \"%s\",\n", $1, $2 }' "$tbl"
	echo '};'
	;;
routes)
	echo '/* Generated from posix/syscalls.tbl by scripts/gensyscalls.sh. */'
	for owner in pm vfs; do
		printf '#define LINUX_ROUTES_%s' "$(echo $owner | tr a-z A-Z)"
		awk -v o=$owner '!/^#/ && $3 == o { printf " %d,", $1 }' "$tbl"
		echo
	done
	;;
*)
	echo "usage: gensyscalls.sh names|routes" >&2
	exit 2
	;;
esac
