// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_btftypes.c — libFuzzer target for the minimal types emitter.
 *
 * The input is a raw BTF blob.  When libbpf accepts it (btf__new), every
 * named struct, union, typedef and enum (up to 32) is requested — whole,
 * and the first struct also with a member list — in minimal mode with
 * layout asserts, which walks every member chain the emitter knows about.
 * Seeds: fuzz_seed/ (BTF of a program using the templates' types).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btftypes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char names[33][300];
	struct cg_type_req reqs[33];
	struct btf *btf;
	size_t n = 0;
	char *out = NULL, *err = NULL;

	libbpf_set_print(quiet);
	btf = btf__new(data, (__u32)size);
	if (!btf)
		return 0;
	for (__u32 id = 1; id < btf__type_cnt(btf) && n < 32; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);
		const char *kw;

		if (!name || !*name || strlen(name) > 200)
			continue;
		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT:
			kw = "struct ";
			break;
		case BTF_KIND_UNION:
			kw = "union ";
			break;
		case BTF_KIND_ENUM:
			kw = "enum ";
			break;
		case BTF_KIND_TYPEDEF:
			kw = "typedef ";
			break;
		default:
			continue;
		}
		strcpy(names[n], kw);
		strcat(names[n], name);
		reqs[n].name = names[n];
		reqs[n].members = NULL;
		n++;
	}
	/* the first struct again, with a member list (merged into the whole request) */
	if (n && !strncmp(names[0], "struct ", 7)) {
		reqs[n].name = names[0];
		reqs[n].members = "a,b,c";
		n++;
	}
	if (!cg_btf_header(btf, reqs, n, CG_BTF_MINIMAL, CG_BTF_LAYOUT_ASSERTS, &out, &err))
		free(out);
	else
		free(err);
	btf__free(btf);
	return 0;
}
