// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_meta.c — libFuzzer target for everything tetraload parses from a
 * policy object or an operator, and for hook-record decoding by metadata.
 *
 * The first input byte picks the path (the rest is the payload):
 *   0  meta_parse() on the payload
 *   1  meta_elf_section() on the payload, then meta_parse() of its result
 *   2  payload = u16 L | L bytes of metadata JSON | records (u16 length +
 *      bytes each): when the metadata parses, it is registered as policy 1
 *      (else a built-in metadata with every argument type is), and each
 *      record goes through ev__handle() in JSON or compact mode (byte 0
 *      bit 7), hook ids and policy ids included, so argument splitting and
 *      rendering see arbitrary bytes
 *   3  the payload as --export-allowlist, --field-filters and
 *      --redaction-filters; whatever compiles is applied to a fixed event
 *      line, view and argument string
 * ASan/UBSan watch every access; records are exact-size heap copies.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "export.h"
#include "hookarg.h"
#include "meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(void *arg, const char *buf, size_t n)
{
	(void)arg;
	(void)buf;
	(void)n;
	return 0;
}

/* One hook per argument encoding, ids 0..2, every kind of event. */
static const char builtin[] =
	"{\"format\":1,\"policy\":{\"name\":\"fz\"},\"hooks\":["
	"{\"id\":0,\"kind\":\"kprobe\",\"function_name\":\"__x64_sys_write\",\"return\":true,"
	"\"attach\":[{\"flavour\":\"kprobe\",\"program\":\"a\"}],\"args\":["
	"{\"type\":\"file\"},{\"type\":\"char_buf\",\"label\":\"b\"},{\"type\":\"size_t\"},"
	"{\"type\":\"sock\"},{\"type\":\"skb\"},{\"type\":\"sockaddr\"},{\"type\":\"sockaddr_un\"},"
	"{\"type\":\"cred\"},{\"type\":\"user_namespace\"},{\"type\":\"bpf_attr\"},"
	"{\"type\":\"bpf_map\"},{\"type\":\"perf_event\"},{\"type\":\"module\"},"
	"{\"type\":\"capability\"},{\"type\":\"kernel_cap_t\"},{\"type\":\"syscall64\"},"
	"{\"type\":\"string\"},{\"type\":\"int\"},{\"type\":\"long\"},{\"type\":\"uint32\"},"
	"{\"type\":\"bpf_cmd\"},{\"type\":\"linux_binprm\"},{\"type\":\"path\"},"
	"{\"type\":\"const_buf\"},{\"type\":\"nop\"}],\"return_arg\":{\"type\":\"file\"}},"
	"{\"id\":1,\"kind\":\"tracepoint\",\"subsys\":\"s\",\"tp_event\":\"e\","
	"\"attach\":[{\"flavour\":\"tracepoint\",\"program\":\"b\"}],\"args\":[{\"type\":\"sock\"},"
	"{\"type\":\"skb\"}]},"
	"{\"id\":2,\"kind\":\"uprobe\",\"path\":\"/x\",\"symbol\":\"y\","
	"\"attach\":[{\"flavour\":\"uprobe\",\"program\":\"c\"}],\"args\":[{\"type\":\"int\","
	"\"label\":\"l\"}],\"return_arg\":{\"type\":\"int\"}}]}";

static int count_maps(void *arg, const struct tl_mapinit *m)
{
	volatile uint8_t sum = 0;

	(void)arg;
	/* touch every entry byte: ASan checks the bounds the walker promised */
	for (uint64_t i = 0; i < (uint64_t)m->nentries * (m->key_size + m->value_size); i++)
		sum += m->entries[i];
	return 0;
}

static void records(const uint8_t *data, size_t size, const uint8_t *p, size_t n,
		    struct tl_meta *m)
{
	struct ev_opts o = { .flush = sink, .flush_bytes = 4096 };
	uint64_t ev[TL_META_MAX_HOOKS + 1] = { 0 }, mon[TL_META_MAX_HOOKS + 1] = { 0 };
	struct ev_policy pol = { .meta = m, .hook_events = ev, .hook_monitor = mon };
	struct procs *pc = procs__new(8, "fz");
	struct ev_ctx c;
	size_t off = 0;

	(void)data;
	(void)size;
	if (!pc)
		abort();
	o.fmt = size && (data[0] & 0x80) ? EV_FMT_COMPACT : EV_FMT_JSON;
	ev__init(&c, pc, &o);
	ev__set_policy(&c, 1, &pol);
	{
		struct proc_desc d = { .pid = 1, .ktime = 5, .binary = "/b", .binary_len = 2 };

		procs__insert(pc, &d);
	}
	while (off + 2 <= n) {
		size_t len = p[off] | (size_t)p[off + 1] << 8;
		void *copy;

		off += 2;
		if (len > n - off)
			len = n - off;
		copy = malloc(len ? len : 1);
		if (!copy)
			abort();
		memcpy(copy, p + off, len);
		ev__handle(&c, copy, len);
		free(copy);
		off += len;
	}
	/* the argument splitter directly, with every arg_err pattern */
	for (uint32_t h = 0; h < m->nhooks && h < 4; h++) {
		struct hookarg v[TL_META_MAX_ARGS + 1];
		unsigned k = hookarg_split(&m->hooks[h], p, n, n ? p[0] : 0, true, v);
		char text[256];

		for (unsigned i = 0; i < k; i++) {
			hookarg_text(text, sizeof(text), &v[i]);
			hookarg_int(&v[i]);
			hookarg_json(&c.out, NULL, &v[i], i & 1);
		}
		ev__flush(&c);
	}
	ev__fini(&c);
	procs__free(pc);
}

static void filters(const uint8_t *p, size_t n)
{
	static const char line[] =
		"{\"process_kprobe\":{\"process\":{\"exec_id\":\"e\",\"binary\":\"/b\"},\"args\":"
		"[{\"int_arg\":1},{\"x\":[1,{\"y\":\"z\"}]}],\"policy_name\":\"p\"},\"node_name\":"
		"\"n\",\"time\":\"t\"}\n";
	char *text = malloc(n + 1), err[512];
	struct export_opts o = { .rate_limit = 10, .enable_pid_set_filter = true,
				 .process_cred = true };
	struct procs *pc = procs__new(4, "fz");
	struct export *x;

	if (!text || !pc)
		abort();
	memcpy(text, p, n);
	text[n] = '\0';
	o.allowlist = text;
	x = export__new(&o, err, sizeof(err));
	if (x) {
		struct proc_desc d = { .pid = 3, .ktime = 1, .binary = "/bin/sh", .binary_len = 7,
				       .argv = "-c\0x y", .argv_len = 6 };
		struct proc *pr = procs__insert(pc, &d);
		struct ev_view v = { .type = EVT_PROCESS_KPROBE, .proc = pr, .policy_name = "p" };

		export__allow(x, &v, 1);
		v.proc = NULL;
		export__allow(x, &v, 2);
		export__free(x);
	}
	o.allowlist = NULL;
	o.field_filters = text;
	x = export__new(&o, err, sizeof(err));
	if (x) {
		struct jw w;

		jw_init(&w, 64);
		jw_bytes(&w, line, sizeof(line) - 1);
		export__fields(x, EVT_PROCESS_KPROBE, &w, 0);
		jw_reset(&w);
		jw_bytes(&w, p, n); /* arbitrary bytes as the "line" */
		export__fields(x, EVT_PROCESS_KPROBE, &w, 0);
		jw_free(&w);
		export__free(x);
	}
	o.field_filters = NULL;
	o.redaction_filters = text;
	x = export__new(&o, err, sizeof(err));
	if (x) {
		procs_redact_fn fn = export__redactor(x);
		size_t rl;

		if (fn)
			free(fn(x, "/bin/sh", 7, text, n, &rl));
		export__free(x);
	}
	procs__free(pc);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 1;
	size_t n = size ? size - 1 : 0;
	char err[512];

	if (!size)
		return 0;
	switch (data[0] & 3) {
	case 0: {
		char *copy = malloc(n ? n : 1);

		if (!copy)
			abort();
		memcpy(copy, p, n);
		meta_free(meta_parse(copy, n, err, sizeof(err)));
		free(copy);
		break;
	}
	case 1: {
		uint8_t *copy = malloc(n ? n : 1);
		const char *json;
		size_t len;

		if (!copy)
			abort();
		memcpy(copy, p, n);
		if (!meta_elf_section(copy, n, &json, &len, err, sizeof(err))) {
			const void *mi;
			size_t ml;

			meta_free(meta_parse(json, len, err, sizeof(err)));
			if (!meta_elf_find(copy, n, ".tetracc.mapinit", &mi, &ml))
				meta_mapinit_walk(mi, ml, count_maps, NULL, err, sizeof(err));
		}
		meta_mapinit_walk(copy, n, count_maps, NULL, err, sizeof(err));
		free(copy);
		break;
	}
	case 2: {
		size_t l = n >= 2 ? (p[0] | (size_t)p[1] << 8) : 0;
		struct tl_meta *m = NULL;

		if (n >= 2) {
			if (l > n - 2)
				l = n - 2;
			m = meta_parse((const char *)p + 2, l, err, sizeof(err));
		}
		if (!m)
			m = meta_parse(builtin, sizeof(builtin) - 1, err, sizeof(err));
		if (!m)
			abort(); /* the built-in metadata must parse */
		records(data, size, n >= 2 ? p + 2 + l : p, n >= 2 ? n - 2 - l : n, m);
		meta_free(m);
		break;
	}
	default:
		filters(p, n);
		break;
	}
	return 0;
}
