// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_events.c — libFuzzer target for tetraload's record decoding.
 *
 * The input is a stream of records, each preceded by a little-endian u16
 * length, fed in order to one ev_ctx with a tiny process cache (8 entries,
 * so eviction and parent lookups of evicted entries happen), in JSON or
 * compact mode (first byte), with credentials and namespaces on.  The same
 * bytes also go through the string helpers (container ids, argument
 * joining, /proc stat parsing).  ASan/UBSan watch for any bad access.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(void *arg, const char *buf, size_t n)
{
	(void)arg;
	(void)buf;
	(void)n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ev_opts o = { .cred = true, .ns = true, .flush = sink, .flush_bytes = 4096 };
	char out[CONTAINER_ID_LEN + 1];
	struct procs *pc;
	struct ev_ctx c;
	size_t off = 1;

	if (!size)
		return 0;
	o.fmt = data[0] & 1 ? EV_FMT_COMPACT : EV_FMT_JSON;
	o.color = data[0] & 2;
	pc = procs__new(8, "fuzz-node");
	if (!pc)
		abort();
	ev__init(&c, pc, &o);
	while (off + 2 <= size) {
		size_t n = data[off] | (size_t)data[off + 1] << 8;
		void *copy;

		off += 2;
		if (n > size - off)
			n = size - off;
		/* exact-size heap copy: ASan catches reads past the record */
		copy = malloc(n ? n : 1);
		if (!copy)
			abort();
		memcpy(copy, data + off, n);
		ev__handle(&c, copy, n);
		free(copy);
		off += n;
	}
	ev__fini(&c);
	procs__free(pc);

	container_id((const char *)data, size, data[0] & 4, out);
	container_id_from_proc((const char *)data, size, out);
	{
		char *joined = malloc(3 * size + 2);
		uint32_t ppid;
		uint64_t st;

		if (!joined)
			abort();
		procs_join_args(joined, (const char *)data, size, data[0] & 8);
		free(joined);
		procs_parse_stat((const char *)data, size, &ppid, &st);
	}
	return 0;
}
