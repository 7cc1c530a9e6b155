// SPDX-License-Identifier: Apache-2.0
/*
 * usdt_target.c — a program with USDT probes for tests (no <sys/sdt.h> on
 * Debian without systemtap-sdt-dev: the .note.stapsdt entries are written
 * here the way sdt.h writes them).
 *
 *   usdt_target [N]   fires tetracc:probe2 and tetracc:setme N times (default 1)
 *                     and prints the value the setme probe may have changed:
 *                     "value=V" per iteration (V starts at 7; a USDT `Set`
 *                     action writing 42 makes it print value=42)
 *
 * tetracc:probe2 has arguments (int32 i, int64 i*1000); tetracc:setme has one
 * memory operand (-4@OFF(%rbp)), which Set can write.  Built with -O0 so the
 * operand stays on the stack.
 */
#include <stdio.h>
#include <stdlib.h>

#define TC_STAP_NOTE(provider, name, args, ...)                                            \
	__asm__ __volatile__("990: nop\n"                                                   \
			     ".pushsection .note.stapsdt,\"?\",\"note\"\n"                  \
			     ".balign 4\n"                                                  \
			     ".4byte 992f-991f, 994f-993f, 3\n"                             \
			     "991: .asciz \"stapsdt\"\n"                                    \
			     "992: .balign 4\n"                                             \
			     "993: .8byte 990b\n"                                           \
			     ".8byte _.stapsdt.base\n"                                      \
			     ".8byte 0\n"                                                   \
			     ".asciz \"" provider "\"\n"                                    \
			     ".asciz \"" name "\"\n"                                        \
			     ".asciz \"" args "\"\n"                                        \
			     "994: .balign 4\n"                                             \
			     ".popsection\n"                                                \
			     ".ifndef _.stapsdt.base\n"                                     \
			     ".pushsection .stapsdt.base,\"aG\",\"progbits\",.stapsdt.base,comdat\n" \
			     ".weak _.stapsdt.base\n"                                       \
			     ".hidden _.stapsdt.base\n"                                     \
			     "_.stapsdt.base: .space 1\n"                                   \
			     ".size _.stapsdt.base, 1\n"                                    \
			     ".popsection\n"                                                \
			     ".endif\n" ::__VA_ARGS__)

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;

	for (int i = 0; i < n; i++) {
		volatile int value = 7;
		long big = (long)i * 1000;

		TC_STAP_NOTE("tetracc", "probe2", "-4@%0 8@%1", "r"(i), "r"(big));
		TC_STAP_NOTE("tetracc", "setme", "-4@%0", "m"(value));
		printf("value=%d\n", value);
	}
	return 0;
}
