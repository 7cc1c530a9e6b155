/* SPDX-License-Identifier: Apache-2.0 */
/*
 * synth.h — a synthetic target snapshot for the checker's unit tests and
 * fuzzer (synth.c): no kernel needed.
 */
#ifndef TETRACC_TESTS_CHECK_SYNTH_H
#define TETRACC_TESTS_CHECK_SYNTH_H

#include <stdbool.h>

/*
 * Write a snapshot named NAME into DIR (created).  WITH_TCP: whether it has
 * tcp_sendmsg (else tcp_sendmsg_locked), to make two targets differ.
 * Returns 0, or -1 on an I/O error.
 */
int synth_build(const char *dir, const char *name, bool with_tcp);

#endif
