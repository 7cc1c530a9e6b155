/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timing.h — wall-clock phase timers behind `--time-report`.
 *
 * Each phase is a string literal.  Times are exclusive: a phase timed
 * inside another (TC_TIMED within TC_TIMED, or a tc_time_add() while a
 * TC_TIMED is running) is subtracted from the outer one, so the phases add
 * up to the time spent in them, whatever the order of lazy work (a target
 * parses a tracefs format when the checker first asks for it).
 * tc_time_report() prints them in first-seen order with the process's total.
 * Disabled (the default), nothing is recorded.
 */
#ifndef TETRACC_TIMING_H
#define TETRACC_TIMING_H

#include <stdbool.h>
#include <stdio.h>

void tc_time_enable(void);
bool tc_time_enabled(void);

/* Monotonic seconds. */
double tc_now(void);

/* Add SECS, measured by the caller, to PHASE ("group: what"; a static string). */
void tc_time_add(const char *phase, double secs);

/* Open a timed interval; tc_time_end() closes it as PHASE. */
double tc_time_begin(void);
void tc_time_end(const char *phase, double t0);

/* Time STMT as PHASE. */
#define TC_TIMED(phase, stmt)                                                                      \
	do {                                                                                       \
		double tc_t0_ = tc_time_begin();                                                   \
		stmt;                                                                              \
		tc_time_end(phase, tc_t0_);                                                        \
	} while (0)

/*
 * Print the phases, their share of the wall time since START (a tc_now()
 * value), and what no phase accounts for.
 */
void tc_time_report(FILE *f, double start);

#endif
