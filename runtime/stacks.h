/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stacks.h — symbols for stack traces (kernelStackTrace / userStackTrace):
 * the kernel's from /proc/kallsyms (loaded once, on the first stack),
 * a user address as module + offset from /proc/PID/maps.
 */
#ifndef TETRALOAD_STACKS_H
#define TETRALOAD_STACKS_H

#include <stddef.h>
#include <stdint.h>

struct ksyms;

/**
 * @brief **ksyms__load()** reads a kallsyms-format file (text symbols only:
 * types t, T, w, W) and sorts it by address.
 * @return the table (possibly empty), or NULL when the file cannot be read
 */
struct ksyms *ksyms__load(const char *path);
void ksyms__free(struct ksyms *k);

/**
 * @brief **ksyms__find()** the symbol containing `addr` (the nearest one at
 * or below it) and the offset into it.
 * @return the name, or NULL when addr is below every symbol (or the table
 *         is empty, e.g. kallsyms read without privileges: all zero)
 */
const char *ksyms__find(const struct ksyms *k, uint64_t addr, uint64_t *off);

/**
 * @brief **stacks_user_module()** the file mapped at `addr` in process pid
 * and the offset of addr in that file (from /proc/PID/maps).
 * @return 0, or -ENOENT (process gone, anonymous memory)
 */
int stacks_user_module(uint32_t pid, uint64_t addr, char *module, size_t n, uint64_t *off);

#endif /* TETRALOAD_STACKS_H */
