// SPDX-License-Identifier: Apache-2.0
/*
 * cgreport.c — route Clang's diagnostics through tetracc's diagnostics module.
 *
 * cg_compile() returns Clang's diagnostics as data (struct cg_diag); the
 * compile command reports them like every other problem, through diag.h, so
 * they come out in the user's chosen format (text with caret, or JSON).
 */
#include <stdio.h>

#include "cgreport.h"
#include "diag.h"

void cg_report(struct diag_ctx *dc, const struct cg_result *res, const char *main_name,
	       const char *src, size_t len)
{
	static char path[512];

	if (src && main_name) {
		/* diag.h borrows the name and the buffer: both must outlive dc */
		snprintf(path, sizeof(path), "%s/%s", CG_DIR_GEN, main_name);
		diag_add_source(dc, path, src, len);
	}
	for (size_t i = 0; i < res->ndiags; i++) {
		const struct cg_diag *d = &res->diags[i];
		struct tc_loc loc = {d->file, d->line, d->col};

		switch (d->level) {
		case CG_DIAG_NOTE:
			diag_note(dc, loc, "%s", d->message);
			break;
		case CG_DIAG_WARNING:
			diag_warning(dc, loc, "%s", d->message);
			break;
		default:
			diag_error(dc, loc, "%s", d->message);
			break;
		}
	}
}
