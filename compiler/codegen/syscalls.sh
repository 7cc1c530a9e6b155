#!/bin/sh
# syscalls.sh UNISTD_H OUT — the syscall numbers of an <asm/unistd_*.h> as
# SYSNR("name", nr) lines, for InMap/NotInMap on syscall64 with `list:` syscall
# lists (compiler/codegen/emit.c).  The header comes from Debian's
# linux-libc-dev.
set -eu
sed -n 's/^#define __NR_\([a-z0-9_]*\)[ 	][ 	]*\([0-9][0-9]*\)$/SYSNR("\1", \2)/p' "$1" > "$2.tmp"
mv "$2.tmp" "$2"
