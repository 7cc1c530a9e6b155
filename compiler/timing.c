// SPDX-License-Identifier: Apache-2.0
/*
 * timing.c — phase timers for `--time-report` (see timing.h).
 */
#include "timing.h"

#include <string.h>
#include <time.h>

#define MAX_PHASES 48

static struct phase {
	const char *name;
	double secs;
	unsigned count;
} phases[MAX_PHASES];
static unsigned nphases;
static bool enabled;

/* the open TC_TIMED intervals: time spent in phases nested in each */
#define MAX_DEPTH 16
static double nested[MAX_DEPTH];
static unsigned depth;

void tc_time_enable(void)
{
	enabled = true;
}

bool tc_time_enabled(void)
{
	return enabled;
}

double tc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void record(const char *phase, double secs)
{
	unsigned i;

	for (i = 0; i < nphases; i++)
		if (phases[i].name == phase || strcmp(phases[i].name, phase) == 0)
			break;
	if (i == nphases) {
		if (nphases < MAX_PHASES - 1) {
			phases[nphases++].name = phase;
		} else { /* the last slot collects the phases beyond the table */
			i = MAX_PHASES - 1;
			phases[i].name = "(other phases)";
			nphases = MAX_PHASES;
		}
	}
	phases[i].secs += secs;
	phases[i].count++;
}

void tc_time_add(const char *phase, double secs)
{
	if (!enabled)
		return;
	record(phase, secs);
	if (depth)
		nested[depth - 1] += secs;
}

double tc_time_begin(void)
{
	if (enabled && depth < MAX_DEPTH)
		nested[depth] = 0;
	depth++;
	return tc_now();
}

void tc_time_end(const char *phase, double t0)
{
	double el = tc_now() - t0;

	depth--;
	if (!enabled)
		return;
	record(phase, el - (depth < MAX_DEPTH ? nested[depth] : 0));
	if (depth && depth <= MAX_DEPTH)
		nested[depth - 1] += el;
}

void tc_time_report(FILE *f, double start)
{
	double total = tc_now() - start, sum = 0;

	if (!enabled)
		return;
	fprintf(f, "tetracc: time report (wall clock, ms)\n");
	for (unsigned i = 0; i < nphases; i++) {
		sum += phases[i].secs;
		fprintf(f, "  %9.2f  %5.1f%%  %s", phases[i].secs * 1e3,
			total > 0 ? 100 * phases[i].secs / total : 0.0, phases[i].name);
		if (phases[i].count > 1)
			fprintf(f, " (x%u)", phases[i].count);
		fputc('\n', f);
	}
	fprintf(f, "  %9.2f  %5.1f%%  (not in a phase: start-up, option parsing, exit)\n",
		(total - sum) * 1e3, total > 0 ? 100 * (total - sum) / total : 0.0);
	fprintf(f, "  %9.2f  100.0%%  total since main()\n", total * 1e3);
}
