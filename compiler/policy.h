/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.h — the typed AST of a TracingPolicy (placeholder: the reader issue
 * fills in the whole format).
 */
#ifndef TETRACC_POLICY_H
#define TETRACC_POLICY_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

struct tp_policy {
	struct tc_loc loc;
	const char *name;
};

/*
 * Read every TracingPolicy document of one file.  Problems are reported to
 * DC; the policies that were read are returned (possibly with errors
 * recorded in DC).  All memory lives in A.
 */
struct tp_policy *yp_read(struct arena *a, struct diag_ctx *dc, const char *file,
			  const char *buf, size_t len, size_t *npolicies);

#endif
