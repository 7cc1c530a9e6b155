// SPDX-License-Identifier: Apache-2.0
/*
 * tcverify.c — load objects compiled by `tetracc compile` on this kernel.
 *
 *   tcverify verify [--all] [--quiet] OBJ...
 *       Load every program this kernel can load (tracepoint, raw tracepoint,
 *       tp_btf, kprobe, uprobe, usdt; with --all also fentry/fexit/fmod_ret/
 *       lsm) through the verifier, one program at a time, and print
 *       "OBJ PROGRAM TYPE verified_insns" per program (bpf_prog_info.
 *       verified_insns) or the tail of the verifier log.  Exit 1 when one
 *       fails, 77 when not root.
 *
 *   tcverify run [--enforce 0|1] OBJ -- CMD [ARG...]
 *       A minimal loader for end-to-end tests: load the loadable programs,
 *       apply .tetracc.mapinit, set tc_policy_id/tc_enforce, attach the
 *       tracepoints and raw tracepoints, run CMD, then print every hook
 *       record as one line:
 *         hook=H sel=S action=0xA flags=0xF args=[V,V,...] retval=R
 *       with integers in decimal and variable parts as quoted strings; only
 *       records of CMD's process (TCVERIFY_ALL_PIDS=1: every record).
 *       Exit status: CMD's, or 2 on a load error.
 *
 * The object format is docs/object-format.md; records are tetracc_event.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>

#include "codegen.h"
#include "tetracc_event.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	*len = (size_t)n;
	return buf;
}

static char vlog[1 << 20];
static bool quiet_libbpf = true;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (quiet_libbpf && level != LIBBPF_WARN)
		return 0;
	if (quiet_libbpf)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static bool loadable(const struct bpf_program *p, bool all)
{
	switch (bpf_program__type(p)) {
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_KPROBE:
		return true;
	case BPF_PROG_TYPE_TRACING:
		if (bpf_program__expected_attach_type(p) == BPF_TRACE_RAW_TP)
			return true;
		return all;
	case BPF_PROG_TYPE_LSM:
		return all;
	default:
		return false;
	}
}

/* ---- mapinit ------------------------------------------------------------------------ */

static int apply_mapinit(struct bpf_object *obj, const unsigned char *b, size_t len)
{
	size_t off = 16;
	uint32_t n;

	if (!b || len < 16 || memcmp(b, OM_MAPINIT_MAGIC, 8))
		return b ? -1 : 0;
	memcpy(&n, b + 8, 4);
	for (uint32_t r = 0; r < n; r++) {
		uint32_t nl, ks, vs, cnt;
		char name[256];
		struct bpf_map *m;
		int fd;

		if (off + 16 > len)
			return -1;
		memcpy(&nl, b + off, 4);
		memcpy(&ks, b + off + 4, 4);
		memcpy(&vs, b + off + 8, 4);
		memcpy(&cnt, b + off + 12, 4);
		off += 16;
		if (nl >= sizeof(name) || off + nl > len)
			return -1;
		memcpy(name, b + off, nl);
		name[nl] = 0;
		off += (nl + 3) / 4 * 4;
		m = bpf_object__find_map_by_name(obj, name);
		if (!m || bpf_map__key_size(m) != ks || bpf_map__value_size(m) != vs)
			return -1;
		fd = bpf_map__fd(m);
		for (uint32_t k = 0; k < cnt; k++) {
			if (off + ks + vs > len)
				return -1;
			if (bpf_map_update_elem(fd, b + off, b + off + ks, BPF_ANY) < 0) {
				fprintf(stderr, "mapinit %s: %s\n", name, strerror(errno));
				return -1;
			}
			off += ks + vs;
		}
		off = (off + 3) / 4 * 4;
	}
	return 0;
}

/* ---- verify ------------------------------------------------------------------------ */

static int verify_one(const char *path, const char *buf, size_t len, const char *prog, bool all,
		      bool quiet, unsigned long long *total)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .kernel_log_buf = vlog, .kernel_log_size = sizeof(vlog),
		    .kernel_log_level = 1);
	struct bpf_object *obj = bpf_object__open_mem(buf, len, &oo);
	struct bpf_program *p, *target = NULL;
	int rc = 0;

	if (!obj) {
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	bpf_object__for_each_program(p, obj) {
		bool me = !strcmp(bpf_program__name(p), prog);

		bpf_program__set_autoload(p, me);
		if (me)
			target = p;
	}
	vlog[0] = 0;
	if (bpf_object__load(obj) < 0) {
		size_t l = strlen(vlog);
		const char *tail = l > 3000 ? vlog + l - 3000 : vlog;

		if (strstr(vlog, "cannot use helper bpf_override_return")) {
			/* CONFIG_BPF_KPROBE_OVERRIDE is off here: verified in the qemu guests */
			printf("%s %s SKIP no bpf_override_return on this kernel\n", path, prog);
			bpf_object__close(obj);
			return 0;
		}
		if (strstr(vlog, "cannot use helper bpf_probe_write_user")) {
			/* lockdown (integrity) forbids it here: USDT Set is verified elsewhere */
			printf("%s %s SKIP no bpf_probe_write_user (lockdown) on this kernel\n", path,
			       prog);
			bpf_object__close(obj);
			return 0;
		}
		printf("%s %s FAIL\n", path, prog);
		fprintf(stderr, "---- %s %s: verifier log (tail) ----\n%s\n", path, prog, tail);
		rc = -1;
	} else {
		struct bpf_prog_info info = {};
		__u32 il = sizeof(info);

		if (bpf_obj_get_info_by_fd(bpf_program__fd(target), &info, &il) == 0) {
			if (!quiet)
				printf("%s %s %s %u\n", path, prog,
				       libbpf_bpf_prog_type_str(bpf_program__type(target)),
				       info.verified_insns);
			*total += info.verified_insns;
		}
	}
	(void)all;
	bpf_object__close(obj);
	return rc;
}

/* Load every loadable program of the object at once; 0 when all pass. */
static int verify_all(const char *path, const char *buf, size_t len, bool all, bool quiet,
		      unsigned long long *total)
{
	struct bpf_object *obj = bpf_object__open_mem(buf, len, NULL);
	struct bpf_program *p;
	int rc = 0;

	if (!obj)
		return -1;
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, loadable(p, all));
	if (bpf_object__load(obj) < 0) {
		bpf_object__close(obj);
		return -1;
	}
	bpf_object__for_each_program(p, obj) {
		struct bpf_prog_info info = {};
		__u32 il = sizeof(info);

		if (!bpf_program__autoload(p))
			continue;
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &il) < 0) {
			rc = -1;
			continue;
		}
		if (!quiet)
			printf("%s %s %s %u\n", path, bpf_program__name(p),
			       libbpf_bpf_prog_type_str(bpf_program__type(p)), info.verified_insns);
		*total += info.verified_insns;
	}
	bpf_object__close(obj);
	return rc;
}

static int do_verify(int argc, char **argv)
{
	bool all = false, quiet = false;
	int failures = 0, nprogs = 0;
	unsigned long long total = 0;

	for (int i = 0; i < argc; i++) {
		size_t len;
		char *buf;
		struct bpf_object *obj;
		struct bpf_program *p;
		char **names = NULL;
		size_t n = 0;

		if (!strcmp(argv[i], "--all")) {
			all = true;
			continue;
		}
		if (!strcmp(argv[i], "--quiet")) {
			quiet = true;
			continue;
		}
		buf = slurp(argv[i], &len);
		if (!buf) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			failures++;
			continue;
		}
		obj = bpf_object__open_mem(buf, len, NULL);
		if (!obj) {
			fprintf(stderr, "%s: cannot open\n", argv[i]);
			failures++;
			free(buf);
			continue;
		}
		bpf_object__for_each_program(p, obj) {
			if (!loadable(p, all))
				continue;
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n++] = strdup(bpf_program__name(p));
		}
		bpf_object__close(obj);
		/* all at once first (one set of maps); one by one to find the culprit */
		if (n && verify_all(argv[i], buf, len, all, quiet, &total) == 0) {
			nprogs += (int)n;
			for (size_t k = 0; k < n; k++)
				free(names[k]);
			n = 0;
		}
		for (size_t k = 0; k < n; k++) {
			nprogs++;
			if (verify_one(argv[i], buf, len, names[k], all, quiet, &total) < 0)
				failures++;
			free(names[k]);
		}
		free(names);
		free(buf);
	}
	printf("verified %d program%s, %d failed, %llu instructions processed\n", nprogs,
	       nprogs == 1 ? "" : "s", failures, total);
	return failures ? 1 : 0;
}

/* ---- run ------------------------------------------------------------------------------ */

struct hookmeta {
	int nargs;
	int size[64];
	char type[64][32];
	char kind[32];
	char path[256], symbol[128], provider[64], name[64];
	long long offset;
	bool has_offset;
};

static struct hookmeta *hooks;
static int nhooks;

static int parse_meta(const char *meta)
{
	struct json_object *root = json_tokener_parse(meta), *hs;

	if (!root || !json_object_object_get_ex(root, "hooks", &hs))
		return -1;
	nhooks = (int)json_object_array_length(hs);
	hooks = calloc((size_t)nhooks + 1, sizeof(*hooks));
	for (int i = 0; i < nhooks; i++) {
		struct json_object *h = json_object_array_get_idx(hs, (size_t)i), *args, *ra;

		{
			struct json_object *v;

			if (json_object_object_get_ex(h, "kind", &v))
				snprintf(hooks[i].kind, sizeof(hooks[i].kind), "%s",
					 json_object_get_string(v));
			if (json_object_object_get_ex(h, "path", &v))
				snprintf(hooks[i].path, sizeof(hooks[i].path), "%s",
					 json_object_get_string(v));
			if (json_object_object_get_ex(h, "symbol", &v))
				snprintf(hooks[i].symbol, sizeof(hooks[i].symbol), "%s",
					 json_object_get_string(v));
			if (json_object_object_get_ex(h, "provider", &v))
				snprintf(hooks[i].provider, sizeof(hooks[i].provider), "%s",
					 json_object_get_string(v));
			if (json_object_object_get_ex(h, "name", &v))
				snprintf(hooks[i].name, sizeof(hooks[i].name), "%s",
					 json_object_get_string(v));
			if (json_object_object_get_ex(h, "offset", &v)) {
				hooks[i].offset = json_object_get_int64(v);
				hooks[i].has_offset = true;
			}
		}
		json_object_object_get_ex(h, "args", &args);
		for (size_t k = 0; args && k < json_object_array_length(args) && k < 63; k++) {
			struct json_object *a = json_object_array_get_idx(args, k), *v;

			json_object_object_get_ex(a, "size", &v);
			hooks[i].size[k] = json_object_get_int(v);
			json_object_object_get_ex(a, "type", &v);
			snprintf(hooks[i].type[k], 32, "%s", json_object_get_string(v));
			hooks[i].nargs++;
		}
		if (json_object_object_get_ex(h, "return_arg", &ra) && ra &&
		    json_object_get_type(ra) == json_type_object) {
			struct json_object *v;
			int k = hooks[i].nargs;
			const char *t;

			json_object_object_get_ex(ra, "type", &v);
			t = json_object_get_string(v);
			json_object_object_get_ex(ra, "size", &v);
			/* integer return values live in retval */
			if (json_object_get_int(v) != 4 && json_object_get_int(v) != 8 && k < 63) {
				hooks[i].size[k] = json_object_get_int(v);
				snprintf(hooks[i].type[k], 32, "%s", t);
				hooks[i].nargs++;
			}
		}
	}
	json_object_put(root);
	return 0;
}

/* Bytes of the fixed head of a type with a variable part (tetracc_event.h). */
static int head_size(const char *t)
{
	static const struct {
		const char *t;
		int n;
	} heads[] = {
	    {"char_buf", 8}, {"char_iovec", 8}, {"iov_iter", 8},   {"file", 8},	  {"fd", 8},
	    {"kiocb", 8},    {"path", 8},	{"dentry", 8},	   {"linux_binprm", 8}, {"sockaddr_un", 4},
	    {"perf_event", 24}, {"load_info", 16}, {"module", 16},
	};

	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (!strcmp(heads[i].t, t))
			return heads[i].n;
	return 0;
}

static pid_t child_pid; /* only records of the command (0: all) */

static int on_record(void *ctx, void *data, size_t size)
{
	const struct tc_event_hdr *hdr = data;
	const struct tc_event_hook *e = data;
	const unsigned char *a;
	size_t off = 0;
	struct hookmeta *hm;

	(void)ctx;
	if (size < sizeof(*hdr) || hdr->kind != TC_EV_HOOK || size < sizeof(*e))
		return 0;
	if (child_pid && hdr->pid != (__u32)child_pid)
		return 0;
	printf("hook=%u sel=%d action=0x%x flags=0x%x pid=%u args=[", e->hook_id,
	       e->selector == TC_SELECTOR_NONE ? -1 : (int)e->selector, e->action, e->flags,
	       e->hdr.pid);
	hm = (int)e->hook_id < nhooks ? &hooks[e->hook_id] : NULL;
	a = e->args;
	for (int i = 0; hm && i < hm->nargs && off <= e->args_len; i++) {
		int sz = hm->size[i];

		if (i)
			printf(",");
		if (sz >= 0) {
			if (sz == 4) {
				int32_t v;

				memcpy(&v, a + off, 4);
				printf("%d", v);
			} else if (sz == 8) {
				int64_t v;

				memcpy(&v, a + off, 8);
				printf("%lld", (long long)v);
			} else {
				printf("<%d bytes>", sz);
			}
			off += (size_t)sz;
		} else {
			uint32_t prefix, n;

			off += (size_t)head_size(hm->type[i]);
			if (off + 4 > e->args_len)
				break;
			memcpy(&prefix, a + off, 4);
			n = prefix & TC_ARG_LEN_MASK;
			off += 4;
			if (prefix & TC_ARG_F_ERROR) {
				int32_t err;

				memcpy(&err, a + off, 4);
				printf("error(%d)", err);
			} else {
				printf("\"");
				for (uint32_t k = 0; k < n && off + k < e->args_len; k++) {
					unsigned char c = a[off + k];

					if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
						putchar(c);
					else
						printf("\\x%02x", c);
				}
				printf("\"%s", prefix & TC_ARG_F_TRUNC ? "+" : "");
			}
			off += n;
		}
	}
	printf("] retval=%lld\n", (long long)e->retval);
	return 0;
}

/* Set element IDX of the __u32 rodata variable NAME (found through the object's BTF). */
static void set_rodata_idx(struct bpf_object *obj, const char *name, int idx, uint32_t v)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *m = bpf_object__find_map_by_name(obj, ".rodata");
	__s32 ds = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	const struct btf_type *t;
	const struct btf_var_secinfo *vs;
	size_t sz;
	const void *cur;
	char *ro;

	if (!m || ds < 0 || !(cur = bpf_map__initial_value(m, &sz)))
		return;
	ro = malloc(sz);
	memcpy(ro, cur, sz);
	t = btf__type_by_id(btf, (__u32)ds);
	vs = btf_var_secinfos(t);
	for (unsigned k = 0; k < btf_vlen(t); k++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, var->name_off), name))
			continue;
		if (vs->offset + 4 * (idx + 1) <= sz)
			memcpy(ro + vs->offset + 4 * idx, &v, 4);
	}
	bpf_map__set_initial_value(m, ro, sz);
	free(ro);
}

static void set_rodata(struct bpf_object *obj, const char *name, uint32_t v)
{
	set_rodata_idx(obj, name, 0, v);
}

static int do_run(int argc, char **argv)
{
	int enforce = 1, i = 0, status = 0;
	const char *path;
	char *buf;
	size_t len;
	struct om_sections om;
	char err[256];
	struct bpf_object *obj;
	struct bpf_program *p;
	struct bpf_map *m;
	struct ring_buffer *rb;
	pid_t child;

	if (argc > 1 && !strcmp(argv[0], "--enforce")) {
		enforce = atoi(argv[1]);
		i = 2;
	}
	if (i + 2 >= argc || strcmp(argv[i + 1], "--"))
		return 2;
	path = argv[i];
	buf = slurp(path, &len);
	if (!buf || om_read(buf, len, &om, err, sizeof(err)) < 0 || parse_meta(om.meta) < 0) {
		fprintf(stderr, "%s: not a tetracc object\n", path);
		return 2;
	}
	obj = bpf_object__open_mem(buf, len, NULL);
	if (!obj)
		return 2;
	bpf_object__for_each_program(p, obj) {
		const char *sec = bpf_program__section_name(p);
		bool user = !strncmp(sec, "uprobe", 6) || !strncmp(sec, "uretprobe", 9) ||
			    !strncmp(sec, "usdt", 4);

		/* kprobes cannot attach here; uprobes and USDTs can */
		bpf_program__set_autoload(p, loadable(p, false) &&
						 (bpf_program__type(p) != BPF_PROG_TYPE_KPROBE || user));
	}
	set_rodata(obj, "tc_policy_id", 7);
	set_rodata(obj, "tc_enforce", (uint32_t)enforce);
	{
		/* tc_host_ns[]: the loader's job; here from /proc/1/ns (matchNamespaces order) */
		static const char *const ns[] = {"uts", "ipc", "mnt", "pid", "pid_for_children",
						 "net", "time", "time_for_children", "cgroup",
						 "user"};

		for (int k = 0; k < 10; k++) {
			char p1[64];
			struct stat st;

			snprintf(p1, sizeof(p1), "/proc/1/ns/%s", ns[k]);
			if (stat(p1, &st) == 0)
				set_rodata_idx(obj, "tc_host_ns", k, (uint32_t)st.st_ino);
		}
	}
	(void)m;
	if (bpf_object__load(obj) < 0) {
		fprintf(stderr, "%s: load failed\n", path);
		return 2;
	}
	if (apply_mapinit(obj, om.mapinit, om.mapinit_len) < 0) {
		fprintf(stderr, "%s: bad .tetracc.mapinit\n", path);
		return 2;
	}
	bpf_object__for_each_program(p, obj) {
		const char *pn = bpf_program__name(p);
		unsigned hid;

		if (!bpf_program__autoload(p))
			continue;
		/* uprobes and USDTs: attached from the hook's metadata, as tetraload does */
		if (sscanf(pn, "tc_h%u_", &hid) == 1 && (int)hid < nhooks &&
		    (!strcmp(hooks[hid].kind, "uprobe") || !strcmp(hooks[hid].kind, "usdt"))) {
			struct hookmeta *hm = &hooks[hid];
			struct bpf_link *l;

			if (!strcmp(hm->kind, "usdt")) {
				l = bpf_program__attach_usdt(p, -1, hm->path, hm->provider, hm->name,
							     NULL);
			} else {
				LIBBPF_OPTS(bpf_uprobe_opts, uo, .retprobe = strstr(pn, "uretprobe") != NULL,
					    .func_name = hm->symbol[0] ? hm->symbol : NULL);
				l = bpf_program__attach_uprobe_opts(p, -1, hm->path,
								    hm->has_offset ? (size_t)hm->offset : 0,
								    &uo);
			}
			if (!l) {
				fprintf(stderr, "%s: attach %s: %s\n", path, pn, strerror(errno));
				return 2;
			}
			continue;
		}
		if (!bpf_program__attach(p)) {
			fprintf(stderr, "%s: attach %s: %s\n", path, bpf_program__name(p),
				strerror(errno));
			return 2;
		}
	}
	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "tc_events")),
			      on_record, NULL, NULL);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		execvp(argv[i + 2], argv + i + 2);
		_exit(127);
	}
	if (!getenv("TCVERIFY_ALL_PIDS"))
		child_pid = child;
	waitpid(child, &status, 0);
	ring_buffer__consume(rb);
	fflush(stdout);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	om_free(&om);
	free(buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (geteuid() != 0) {
		fprintf(stderr, "tcverify: needs root\n");
		return 77;
	}
	libbpf_set_print(print_fn);
	if (getenv("TCVERIFY_VERBOSE"))
		quiet_libbpf = false;
	if (argc > 1 && !strcmp(argv[1], "verify"))
		return do_verify(argc - 2, argv + 2);
	if (argc > 1 && !strcmp(argv[1], "run"))
		return do_run(argc - 2, argv + 2);
	fprintf(stderr, "usage: tcverify verify [--all] OBJ... | tcverify run [--enforce N] OBJ -- "
			"CMD...\n");
	return 2;
}
