// SPDX-License-Identifier: Apache-2.0
/* reader.c — placeholder policy reader: YAML syntax only. */
#include "policy.h"
#include "ynode.h"

struct tp_policy *yp_read(struct arena *a, struct diag_ctx *dc, const char *file,
			  const char *buf, size_t len, size_t *npolicies)
{
	struct ydoc *docs;
	size_t n = ynode_parse(a, dc, file, buf, len, &docs);
	struct tp_policy *p = arena_alloc(a, sizeof(*p) * (n ? n : 1));

	for (size_t i = 0; i < n; i++)
		p[i].loc = docs[i].loc;
	*npolicies = n;
	return p;
}
