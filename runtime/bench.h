/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.h — `tetraload --bench-decode N` (hidden): the decoder + process
 * cache + JSON writer on synthetic records, no BPF, one core.
 */
#ifndef TETRALOAD_BENCH_H
#define TETRALOAD_BENCH_H

#include <stdint.h>

#include "events.h"

/**
 * @brief **bench_decode()** feeds n synthetic records (exec, exit pairs of
 * short-lived processes under one long-lived parent) through ev__handle()
 * and prints events/s and bytes/s on stdout.  Output is discarded.
 * @return 0
 */
int bench_decode(uint64_t n, const struct ev_opts *o, const char *node);

/**
 * @brief **bench_decode_hooks()** the same for hook records of a compiled
 * tracepoint policy (sys_enter_openat: int, string, int, uint32 arguments)
 * from a few processes of the cache: the path of every policy event.
 * @return 0
 */
int bench_decode_hooks(uint64_t n, const struct ev_opts *o, const char *node);

#endif /* TETRALOAD_BENCH_H */
