/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cgreport.h — Clang diagnostics (cgclang.h) into diag.h.
 */
#ifndef TETRACC_CGREPORT_H
#define TETRACC_CGREPORT_H

#include <stddef.h>

#include "cgclang.h"

struct diag_ctx;

/*
 * Report every diagnostic of res through dc: errors, warnings, and Clang's
 * notes attached to the diagnostic before them.  When src is given, it is
 * registered as CG_DIR_GEN/main_name so text diagnostics quote the
 * generated line; src (borrowed) must outlive dc.  One main file per dc.
 * res->diags[i].file strings are borrowed too: keep res until dc is flushed.
 */
void cg_report(struct diag_ctx *dc, const struct cg_result *res, const char *main_name,
	       const char *src, size_t len);

#endif /* TETRACC_CGREPORT_H */
