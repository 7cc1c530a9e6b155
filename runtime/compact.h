/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compact.h — the one-line text format of `tetra getevents -o compact`
 * (shared/ref/events-spec.md §7), e.g.
 *   🚀 process node1 /usr/bin/cat /etc/shadow
 *   💥 exit    node1 /usr/bin/cat /etc/shadow 0
 */
#ifndef TETRALOAD_COMPACT_H
#define TETRALOAD_COMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hookarg.h"
#include "json.h"
#include "meta.h"
#include "procs.h"

/**
 * @brief **compact_exec()** appends the line for a process_exec of `p`.
 * @param source `<namespace>/<pod>` or the node name
 * @param cred process credentials are enabled (the 🛑 CAP_SYS_ADMIN marker)
 */
void compact_exec(struct jw *w, const struct proc *p, const char *source, bool color, bool cred);

/**
 * @brief **compact_exit()** appends the line for a process_exit of `p`
 * (NULL: unknown process): signal name if any, else the numeric status.
 */
void compact_exit(struct jw *w, const struct proc *p, const char *source, const char *signal,
		  uint32_t status, bool color);

/**
 * @brief **compact_hook()** appends the line for a hook event (kprobe by
 * function name: "📬️ openat", "🔌 connect", ...; "⁉️ tracepoint", "🕵️ uprobe",
 * "🔒 LSM"), per events-spec §7.  `p` NULL: unknown process.
 */
void compact_hook(struct jw *w, const struct proc *p, const char *source, bool color,
		  const struct tl_hook *h, const struct hookarg *args, unsigned nargs);

/** @brief **compact_throttle()** "🧬 throttle START <cgroup>" / "STOP  <cgroup>". */
void compact_throttle(struct jw *w, bool start, const char *cgroup, size_t len, bool color);

/**
 * @brief **compact_str()** appends an untrusted string the way tetra does:
 * as is, or through Go's strconv.Quote when it holds a space or a
 * non-printable rune (invalid UTF-8 included).
 */
void compact_str(struct jw *w, const char *s, size_t n);

#endif /* TETRALOAD_COMPACT_H */
