// SPDX-License-Identifier: Apache-2.0
/*
 * events.c — ring-buffer records -> Tetragon events.
 *
 * A record is trusted only after its header checks out: known kind, a
 * version we understand, `size` equal to the bytes libbpf handed us and at
 * least the fixed part of its kind, and variable-tail lengths that fit.
 *
 * exec:  the image enters the process cache (procs.c); the event is
 *        {"process_exec":{"process":P,"parent":PP},"node_name":N,"time":T}.
 * fork:  a clone entry enters the cache (Tetragon exports no clone event).
 * exit:  {"process_exit":{"process":P,"parent":PP,"signal":S,"status":X,
 *        "time":T},"node_name":N,"time":T}; the entry is marked exited.
 *
 * The `process` object of an image is rendered once, the first time it is
 * needed, and cached in the entry (struct proc.json): exec and exit events,
 * and every child's `parent`, reuse the bytes.  That keeps the per-event
 * cost to a few memcpy()s and the envelope.
 */
#include "events.h"

#include "compact.h"
#include "container.h"
#include "export.h"
#include "hookarg.h"
#include "metrics.h"
#include "stacks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_FLUSH_BYTES (1u << 20)

/* ---- tables ----------------------------------------------------------------- */

/* Tetragon's flag words, in its output order (pkg/api/flags.go). */
static const struct {
	uint32_t bit;
	const char *word;
} flag_words[] = {
	{ TC_EXEC_F_EXECVE, "execve" },
	{ TC_EXEC_F_PROCFS, "procFS" },
	{ TC_EXEC_F_ERROR_ENVS, "errorEnvs" },
	{ TC_EXEC_F_TRUNC_ARGS, "truncArgs" },
	{ TC_EXEC_F_MISS, "miss" },
	{ TC_EXEC_F_ERROR_FILENAME, "errorFilename" },
	{ TC_EXEC_F_ERROR_ARGS, "errorArgs" },
	{ TC_EXEC_F_NOCWD, "nocwd" },
	{ TC_EXEC_F_ROOTCWD, "rootcwd" },
	{ TC_EXEC_F_ERROR_CWD, "errorCWD" },
	{ TC_EXEC_F_CLONE, "clone" },
	{ TC_EXEC_F_ERROR_CGROUP_NAME, "errorCgroupName" },
	{ TC_EXEC_F_ERROR_CGROUP_ID, "errorCgroupID" },
	{ TC_EXEC_F_ERROR_CGROUP_SUBSYS_CGRP, "errorCgroupSubsysCgrp" },
	{ TC_EXEC_F_ERROR_CGROUP_SUBSYS, "errorCgroupSubsys" },
	{ TC_EXEC_F_ERROR_CGROUPS, "errorCgroups" },
	{ TC_EXEC_F_ERROR_PATH_CWD, "errorPathResolutionCwd" },
	{ 0x800000, "dataFilename" },
	{ 0x1000000, "dataArgs" },
	{ TC_EXEC_F_IN_INIT_TREE, "inInitTree" },
};

size_t ev_flags_text(char *dst, uint32_t flags)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(flag_words) / sizeof(flag_words[0]); i++) {
		size_t l;

		if (!(flags & flag_words[i].bit))
			continue;
		if (n)
			dst[n++] = ' ';
		l = strlen(flag_words[i].word);
		memcpy(dst + n, flag_words[i].word, l);
		n += l;
	}
	return n;
}

/* Linux signal names (x86 and arm64 share them), as Go's unix.SignalName. */
static const char *const signames[32] = {
	NULL,      "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP", "SIGABRT",
	"SIGBUS",  "SIGFPE",  "SIGKILL",   "SIGUSR1", "SIGSEGV",   "SIGUSR2", "SIGPIPE",
	"SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",
	"SIGTTIN", "SIGTTOU", "SIGURG",    "SIGXCPU", "SIGXFSZ",   "SIGVTALRM", "SIGPROF",
	"SIGWINCH", "SIGIO",  "SIGPWR",    "SIGSYS",
};

const char *ev_signal_name(unsigned sig)
{
	return sig < 32 ? signames[sig] : NULL;
}

/* CapabilitiesType names; bit 1 really is "DAC_OVERRIDE" (no CAP_ prefix). */
static const char *const cap_names[] = {
	"CAP_CHOWN",          "DAC_OVERRIDE",     "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID",         "CAP_KILL",         "CAP_SETGID",          "CAP_SETUID",
	"CAP_SETPCAP",        "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",      "CAP_NET_RAW",      "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
	"CAP_SYS_MODULE",     "CAP_SYS_RAWIO",    "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",      "CAP_SYS_ADMIN",    "CAP_SYS_BOOT",        "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",   "CAP_SYS_TIME",     "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
	"CAP_LEASE",          "CAP_AUDIT_WRITE",  "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",   "CAP_MAC_ADMIN",    "CAP_SYSLOG",          "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",  "CAP_AUDIT_READ",   "CAP_PERFMON",         "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

static const char *const securebit_names[8] = {
	"SecBitNoRoot",          "SecBitNoRootLocked",     "SecBitNoSetUidFixup",
	"SecBitNoSetUidFixupLocked", "SecBitKeepCaps",     "SecBitKeepCapsLocked",
	"SecBitNoCapAmbientRaise", "SecBitNoCapAmbientRaiseLocked",
};

/* ---- context ------------------------------------------------------------------ */

int ev__init(struct ev_ctx *c, struct procs *procs, const struct ev_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->procs = procs;
	c->o = *o;
	if (!c->o.flush_bytes)
		c->o.flush_bytes = DEFAULT_FLUSH_BYTES;
	jw_init(&c->out, c->o.flush_bytes + 64 * 1024);
	jw_init(&c->tmp, 4096);
	ev__clock_sync(c);
	return 0;
}

void ev__fini(struct ev_ctx *c)
{
	ev__flush(c);
	jw_free(&c->out);
	jw_free(&c->tmp);
	free(c->pols);
	c->pols = NULL;
	c->npols = 0;
	ksyms__free(c->ksyms);
	c->ksyms = NULL;
	free(c->throttled);
	c->throttled = NULL;
	c->nthrottled = 0;
}

void ev__set_policy(struct ev_ctx *c, uint32_t policy_id, struct ev_policy *pol)
{
	if (policy_id >= c->npols) {
		uint32_t n = c->npols ? c->npols : 16;
		struct ev_policy **np;

		if (!pol)
			return;
		while (n <= policy_id)
			n *= 2;
		np = realloc(c->pols, n * sizeof(*np));
		if (!np) {
			fprintf(stderr, "tetraload: out of memory\n");
			abort();
		}
		memset(np + c->npols, 0, (n - c->npols) * sizeof(*np));
		c->pols = np;
		c->npols = n;
	}
	c->pols[policy_id] = pol;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void ev__clock_sync(struct ev_ctx *c)
{
	int64_t real = clock_ns(CLOCK_REALTIME);

	c->clk.mono_to_real = real - clock_ns(CLOCK_MONOTONIC);
	c->clk.boot_to_real = real - clock_ns(CLOCK_BOOTTIME);
}

int ev__flush(struct ev_ctx *c)
{
	int err = 0;

	if (c->out.len && c->o.flush)
		err = c->o.flush(c->o.flush_arg, c->out.buf, c->out.len);
	if (err)
		c->st.flush_errors++;
	jw_reset(&c->out);
	return err;
}

static void maybe_flush(struct ev_ctx *c)
{
	if (c->out.len >= c->o.flush_bytes)
		ev__flush(c);
}

/* ---- rendering ---------------------------------------------------------------- */

/*
 * A kernel timestamp as wall-clock nanoseconds, clamped to [0, INT64_MAX]: a
 * record's ktime is whatever its bytes say (fuzzing found sums that overflow).
 */
static int64_t ktime_real(const struct ev_ctx *c, uint64_t ktime, bool boot)
{
	int64_t ns;

	if (ktime > (uint64_t)INT64_MAX ||
	    __builtin_add_overflow((int64_t)ktime,
				   boot ? c->clk.boot_to_real : c->clk.mono_to_real, &ns))
		return INT64_MAX;
	return ns < 0 ? 0 : ns;
}

static void jw_ktime(struct ev_ctx *c, struct jw *w, const char *key, uint64_t ktime, bool boot)
{
	int64_t ns = ktime_real(c, ktime, boot);

	jw_time(w, key, ns / 1000000000, (uint32_t)(ns % 1000000000));
}

static void caps_list(struct jw *w, const char *key, uint64_t bits)
{
	if (!bits)
		return;
	jw_arr_open(w, key);
	for (unsigned i = 0; i < 64; i++) {
		if (!(bits & (1ull << i)))
			continue;
		if (i < sizeof(cap_names) / sizeof(cap_names[0])) {
			jw_cstr(w, NULL, cap_names[i]);
		} else {
			/* an enum number without a name prints as a number */
			jw_u32(w, NULL, i);
		}
	}
	jw_arr_close(w);
}

static void ns_one(struct jw *w, const char *key, uint32_t inum, uint32_t host)
{
	if (!inum)
		return;
	jw_obj_open(w, key);
	jw_u32(w, "inum", inum);
	if (inum == host)
		jw_bool(w, "is_host", true);
	jw_obj_close(w);
}

/* The Process message, keys in .proto declaration order (events-spec §2). */
static void render_process(struct ev_ctx *c, struct jw *w, const struct proc *p,
			   uint32_t *tid_off, uint32_t *tid_end)
{
	char flags[400];
	size_t fl;

	jw_obj_open(w, NULL);
	jw_str(w, "exec_id", p->exec_id, p->exec_id_len);
	jw_u32(w, "pid", p->pid);
	jw_u32(w, "uid", p->uid);
	if (p->cwd_len)
		jw_str(w, "cwd", p->cwd, p->cwd_len);
	if (p->binary_len)
		jw_str(w, "binary", p->binary, p->binary_len);
	if (p->args_len)
		jw_str(w, "arguments", p->args, p->args_len);
	fl = ev_flags_text(flags, p->flags);
	if (fl)
		jw_str(w, "flags", flags, fl);
	jw_ktime(c, w, "start_time", p->ktime, p->procfs);
	jw_u32(w, "auid", p->auid);
	if (p->docker[0])
		jw_cstr(w, "docker", p->docker);
	jw_str(w, "parent_exec_id", p->parent_exec_id, p->parent_exec_id_len);
	if (c->o.cred && (p->creds.cap_permitted | p->creds.cap_effective |
			  p->creds.cap_inheritable)) {
		jw_obj_open(w, "cap");
		caps_list(w, "permitted", p->creds.cap_permitted);
		caps_list(w, "effective", p->creds.cap_effective);
		caps_list(w, "inheritable", p->creds.cap_inheritable);
		jw_obj_close(w);
	}
	if (c->o.ns && (p->ns.uts | p->ns.ipc | p->ns.mnt | p->ns.pid | p->ns.pid_for_children |
			p->ns.net | p->ns.time | p->ns.time_for_children | p->ns.cgroup |
			p->ns.user)) {
		const struct tc_ns *n = &p->ns, *h = &c->o.host_ns;

		jw_obj_open(w, "ns");
		ns_one(w, "uts", n->uts, h->uts);
		ns_one(w, "ipc", n->ipc, h->ipc);
		ns_one(w, "mnt", n->mnt, h->mnt);
		ns_one(w, "pid", n->pid, h->pid);
		ns_one(w, "pid_for_children", n->pid_for_children, h->pid_for_children);
		ns_one(w, "net", n->net, h->net);
		ns_one(w, "time", n->time, h->time);
		ns_one(w, "time_for_children", n->time_for_children, h->time_for_children);
		ns_one(w, "cgroup", n->cgroup, h->cgroup);
		ns_one(w, "user", n->user, h->user);
		jw_obj_close(w);
	}
	*tid_off = (uint32_t)w->len;
	jw_u32(w, "tid", p->tid);
	*tid_end = (uint32_t)w->len;
	if (c->o.cred) {
		jw_obj_open(w, "process_credentials");
		jw_u32(w, "uid", p->creds.uid);
		jw_u32(w, "gid", p->creds.gid);
		jw_u32(w, "euid", p->creds.euid);
		jw_u32(w, "egid", p->creds.egid);
		jw_u32(w, "suid", p->creds.suid);
		jw_u32(w, "sgid", p->creds.sgid);
		jw_u32(w, "fsuid", p->creds.fsuid);
		jw_u32(w, "fsgid", p->creds.fsgid);
		if (p->creds.securebits & 0xff) {
			jw_arr_open(w, "securebits");
			for (unsigned i = 0; i < 8; i++)
				if (p->creds.securebits & (1u << i))
					jw_cstr(w, NULL, securebit_names[i]);
			jw_arr_close(w);
		}
		jw_obj_close(w);
	}
	jw_bool(w, "in_init_tree", p->flags & TC_EXEC_F_IN_INIT_TREE);
	jw_obj_close(w);
}

/* The cached rendering of p (rendered on first use). */
static void process_json(struct ev_ctx *c, struct proc *p, const char **json, size_t *len)
{
	if (!p->json_len) {
		jw_reset(&c->tmp);
		render_process(c, &c->tmp, p, &p->json_tid_off, &p->json_tid_end);
		if (p->json_cap < c->tmp.len) {
			char *nj = realloc(p->json, c->tmp.len);

			if (!nj) {
				fprintf(stderr, "tetraload: out of memory\n");
				abort();
			}
			p->json = nj;
			p->json_cap = c->tmp.len;
		}
		memcpy(p->json, c->tmp.buf, c->tmp.len);
		p->json_len = c->tmp.len;
	}
	*json = p->json;
	*len = p->json_len;
}

static void member_process(struct ev_ctx *c, const char *key, struct proc *p)
{
	const char *json;
	size_t len;

	process_json(c, p, &json, &len);
	jw_raw(&c->out, key, json, len);
}

static struct proc *parent_of(struct ev_ctx *c, const struct proc *p)
{
	if (p->pid == 0)
		return NULL; /* <kernel> has no parent */
	if (p->pktime || p->ppid == 0) {
		struct proc *pp = procs__lookup(c->procs, p->ppid, p->ppid ? p->pktime : 1);

		if (pp)
			return pp;
	}
	return procs__lookup_pid(c->procs, p->ppid);
}

static void envelope_end(struct ev_ctx *c, uint64_t ktime, bool boot)
{
	jw_cstr(&c->out, "node_name", procs__node_name(c->procs));
	jw_ktime(c, &c->out, "time", ktime, boot);
	jw_obj_close(&c->out);
	jw_newline(&c->out);
	c->st.events++;
	c->st.last_time_ns = ktime_real(c, ktime, boot);
}

static uint64_t mono_now(void)
{
	return (uint64_t)clock_ns(CLOCK_MONOTONIC);
}

/*
 * Count the event (metrics see every event, as Tetragon's) and ask the
 * export filters and the rate limiter whether to write it.
 */
static bool admit(struct ev_ctx *c, int type, const struct proc *p, const struct proc *pp,
		  const char *policy, const char *hook)
{
	struct ev_view v = { .type = type, .proc = p, .parent = pp, .policy_name = policy };

	if (c->o.metrics)
		metrics_event(c->o.metrics, type, p, policy, hook);
	if (c->o.exp && !export__allow(c->o.exp, &v, mono_now())) {
		c->st.filtered++;
		return false;
	}
	return true;
}

/* After a JSON line was appended at `start`: field filters. */
static void finish_line(struct ev_ctx *c, int type, size_t start)
{
	if (c->o.exp && c->o.fmt == EV_FMT_JSON && export__has_fields(c->o.exp, type))
		export__fields(c->o.exp, type, &c->out, start);
}

static void emit_exec(struct ev_ctx *c, struct proc *p, uint64_t ktime, bool boot)
{
	struct proc *pp;
	size_t start = c->out.len;

	if (!admit(c, EVT_PROCESS_EXEC, p, parent_of(c, p), NULL, NULL))
		return;
	if (c->o.fmt == EV_FMT_COMPACT) {
		compact_exec(&c->out, p, procs__node_name(c->procs), c->o.color, c->o.cred);
		c->st.events++;
		maybe_flush(c);
		return;
	}
	/* Render the child before looking the parent up: both may be cached. */
	jw_obj_open(&c->out, NULL);
	jw_obj_open(&c->out, "process_exec");
	member_process(c, "process", p);
	pp = parent_of(c, p);
	if (pp)
		member_process(c, "parent", pp);
	jw_obj_close(&c->out);
	envelope_end(c, ktime, boot);
	finish_line(c, EVT_PROCESS_EXEC, start);
	maybe_flush(c);
}

/* ---- records ------------------------------------------------------------------ */

static void on_exec_rec(struct ev_ctx *c, const struct tc_event_exec *e, size_t size)
{
	struct proc_desc d = { 0 };
	const char *tail = (const char *)e->data;
	size_t fl = e->filename_len, al = e->args_len, cl = e->cwd_len;
	char docker[CONTAINER_ID_LEN + 1];
	const char *argv;
	size_t argv_len;
	struct proc *p;

	if (sizeof(*e) + fl + al + cl > size) {
		c->st.bad_record++;
		return;
	}
	c->st.exec++;
	/* argv blob includes argv[0]: skip it (Tetragon sends argv[1..]) */
	argv = tail + fl;
	argv_len = al;
	{
		const char *z = memchr(argv, '\0', argv_len);

		if (z) {
			argv_len -= z + 1 - argv;
			argv = z + 1;
		} else {
			argv_len = 0;
		}
	}
	d.pid = e->hdr.pid;
	d.tid = e->hdr.tid;
	d.ppid = e->ppid;
	d.ktime = e->start_time;
	d.pktime = e->parent_start_time;
	d.flags = e->flags;
	d.auid = e->auid;
	d.creds = e->creds;
	d.ns = e->ns;
	d.binary = tail;
	d.binary_len = fl;
	d.argv = argv;
	d.argv_len = argv_len;
	d.cwd = tail + fl + al;
	d.cwd_len = cl;
	if (container_id(e->cgroup_name, sizeof(e->cgroup_name), true, docker))
		d.docker = docker;
	p = procs__insert(c->procs, &d);
	emit_exec(c, p, e->hdr.ktime, false);
}

void ev__procfs(struct ev_ctx *c, const struct proc_desc *d)
{
	struct proc *p = procs__insert(c->procs, d);

	emit_exec(c, p, d->ktime, true);
}

static void on_fork_rec(struct ev_ctx *c, const struct tc_event_fork *e)
{
	struct proc *parent = NULL;

	c->st.fork++;
	if (e->parent_start_time)
		parent = procs__lookup(c->procs, e->ppid, e->parent_start_time);
	if (!parent)
		parent = procs__lookup_pid(c->procs, e->ppid);
	procs__clone(c->procs, parent, e->hdr.pid, e->start_time, e->flags);
}

static void on_exit_rec(struct ev_ctx *c, const struct tc_event_exit *e)
{
	unsigned code = e->exit_code;
	unsigned sig = code & 0x80 ? code & 0x7f : code & 0xff;
	unsigned status = (code >> 8) & 0xff;
	const char *signame = ev_signal_name(sig);
	struct proc *p = NULL, *pp = NULL;
	size_t start = c->out.len;

	c->st.exit++;
	if (e->start_time)
		p = procs__lookup(c->procs, e->hdr.pid, e->start_time);
	if (!p)
		p = procs__lookup_pid(c->procs, e->hdr.pid);
	if (!p)
		c->st.exit_unknown++;
	if (p)
		pp = parent_of(c, p);
	if (!admit(c, EVT_PROCESS_EXIT, p, pp, NULL, NULL)) {
		if (p)
			procs__mark_exited(c->procs, p);
		return;
	}
	if (c->o.fmt == EV_FMT_COMPACT) {
		compact_exit(&c->out, p, procs__node_name(c->procs), signame, status, c->o.color);
		c->st.events++;
	} else {
		jw_obj_open(&c->out, NULL);
		jw_obj_open(&c->out, "process_exit");
		if (p) {
			member_process(c, "process", p);
			pp = parent_of(c, p);
			if (pp)
				member_process(c, "parent", pp);
		} else {
			/* stub: only {pid, start_time} */
			jw_obj_open(&c->out, "process");
			jw_u32(&c->out, "pid", e->hdr.pid);
			if (e->start_time)
				jw_ktime(c, &c->out, "start_time", e->start_time, false);
			jw_obj_close(&c->out);
		}
		if (signame)
			jw_cstr(&c->out, "signal", signame);
		if (status)
			jw_u32(&c->out, "status", status);
		jw_ktime(c, &c->out, "time", e->hdr.ktime, false);
		jw_obj_close(&c->out);
		envelope_end(c, e->hdr.ktime, false);
		finish_line(c, EVT_PROCESS_EXIT, start);
	}
	if (p)
		procs__mark_exited(c->procs, p);
	maybe_flush(c);
}

/* ---- hook records (compiled policies) ------------------------------------------------- */

/* The `process` object with the triggering thread's tid spliced in. */
static void member_process_tid(struct ev_ctx *c, const char *key, struct proc *p, uint32_t tid)
{
	char buf[24];
	const char *json;
	size_t len, n;

	process_json(c, p, &json, &len);
	if (tid == p->tid || p->json_tid_end <= p->json_tid_off || p->json_tid_end > len) {
		jw_raw(&c->out, key, json, len);
		return;
	}
	jw_raw(&c->out, key, json, p->json_tid_off);
	memcpy(buf, ",\"tid\":", 7);
	n = 7 + jw_fmt_u64(buf + 7, tid);
	jw_bytes(&c->out, buf, n);
	jw_bytes(&c->out, json + p->json_tid_end, len - p->json_tid_end);
}

/* KprobeAction of what the kernel did (the most severe action bit). */
static const char *kprobe_action(uint32_t bits)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} order[] = {
		{ TC_ACTION_SIGKILL, "KPROBE_ACTION_SIGKILL" },
		{ TC_ACTION_OVERRIDE, "KPROBE_ACTION_OVERRIDE" },
		{ TC_ACTION_SIGNAL, "KPROBE_ACTION_SIGNAL" },
		{ TC_ACTION_NOTIFYENFORCER, "KPROBE_ACTION_NOTIFYENFORCER" },
		{ TC_ACTION_SET, "KPROBE_ACTION_SET" },
		{ TC_ACTION_FOLLOWFD, "KPROBE_ACTION_FOLLOWFD" },
		{ TC_ACTION_UNFOLLOWFD, "KPROBE_ACTION_UNFOLLOWFD" },
		{ TC_ACTION_TRACKSOCK, "KPROBE_ACTION_TRACKSOCK" },
		{ TC_ACTION_UNTRACKSOCK, "KPROBE_ACTION_UNTRACKSOCK" },
		{ TC_ACTION_NOPOST, "KPROBE_ACTION_NOPOST" },
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (bits & order[i].bit)
			return order[i].name;
	return "KPROBE_ACTION_POST";
}

int ev_evtype(enum tl_event e)
{
	switch (e) {
	case TL_EV_KPROBE:
		return EVT_PROCESS_KPROBE;
	case TL_EV_TRACEPOINT:
		return EVT_PROCESS_TRACEPOINT;
	case TL_EV_UPROBE:
		return EVT_PROCESS_UPROBE;
	case TL_EV_USDT:
		return EVT_PROCESS_USDT;
	case TL_EV_LSM:
		return EVT_PROCESS_LSM;
	default:
		return EVT_UNDEF;
	}
}

static void args_member(struct ev_ctx *c, const struct hookarg *a, unsigned n, bool tp)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (a[i].present && a[i].a->type != TL_ARG_NOP)
			break;
	if (i == n)
		return;
	jw_arr_open(&c->out, "args");
	for (i = 0; i < n; i++)
		hookarg_json(&c->out, NULL, &a[i], tp);
	jw_arr_close(&c->out);
}

static void policy_fields(struct ev_ctx *c, const struct tl_meta *m)
{
	if (*m->policy_name)
		jw_cstr(&c->out, "policy_name", m->policy_name);
}

static void message_member(struct ev_ctx *c, const struct tl_hook *h)
{
	if (h->message && *h->message)
		jw_cstr(&c->out, "message", h->message);
}

static void tags_member(struct ev_ctx *c, const struct tl_hook *h)
{
	if (!h->ntags)
		return;
	jw_arr_open(&c->out, "tags");
	for (uint32_t i = 0; i < h->ntags; i++)
		jw_cstr(&c->out, NULL, h->tags[i]);
	jw_arr_close(&c->out);
}

/*
 * "return" of a return probe's event: the captured returnArg when the record
 * has it (args[nargs]), else the return value as the returnArg's type.
 */
static void return_member(struct ev_ctx *c, const struct tl_hook *h,
			  const struct tc_event_hook *e, const struct hookarg *args, unsigned nargs,
			  unsigned n)
{
	if (!h->return_arg)
		return;
	if (n > nargs)
		hookarg_json(&c->out, "return", &args[nargs], false);
	else
		hookarg_retval_json(&c->out, h->return_arg, e->retval);
}

#define STACK_DEPTH 127 /* PERF_MAX_STACK_DEPTH, tc_stacks' value size */

/* kernel_stack_trace / user_stack_trace: StackTraceEntry {address, offset, symbol, module}. */
static void stack_member(struct ev_ctx *c, const struct ev_policy *pol, const char *key,
			 int32_t id, bool kernel, uint32_t pid)
{
	uint64_t ips[STACK_DEPTH];
	bool open = false;

	if (!pol->stack || pol->stack(pol, id, ips, STACK_DEPTH)) {
		c->st.stack_errors++;
		return;
	}
	if (kernel && !c->ksyms_tried) {
		c->ksyms_tried = true;
		c->ksyms = ksyms__load("/proc/kallsyms");
	}
	for (unsigned i = 0; i < STACK_DEPTH; i++) {
		char module[4096];
		const char *sym = NULL;
		uint64_t off = 0;

		if (!ips[i])
			break;
		if (!open) {
			jw_arr_open(&c->out, key);
			open = true;
		}
		jw_obj_open(&c->out, NULL);
		if (c->o.stack_addresses)
			jw_u64str(&c->out, "address", ips[i]);
		if (kernel) {
			sym = ksyms__find(c->ksyms, ips[i], &off);
			if (off)
				jw_u64str(&c->out, "offset", off);
			jw_cstr(&c->out, "symbol", sym ? sym : "[unknown]");
		} else if (!stacks_user_module(pid, ips[i], module, sizeof(module), &off)) {
			if (off)
				jw_u64str(&c->out, "offset", off);
			jw_cstr(&c->out, "module", module);
		} else {
			jw_u64str(&c->out, "offset", ips[i]);
		}
		jw_obj_close(&c->out);
	}
	if (open)
		jw_arr_close(&c->out);
}

static void on_hook_rec(struct ev_ctx *c, const struct tc_event_hook *e, size_t size)
{
	struct hookarg args[TL_META_MAX_ARGS + 1];
	struct ev_policy *pol = e->policy_id < c->npols ? c->pols[e->policy_id] : NULL;
	bool ret = e->flags & TC_HOOK_F_RETURN;
	struct proc *p = NULL, *pp = NULL;
	const struct tl_hook *h = NULL;
	const struct tl_meta *m;
	size_t start = c->out.len;
	unsigned n, nargs, hidx;
	const char *action;
	int type;

	if (pol)
		h = meta_hook(pol->meta, e->hook_id);
	if (!h) {
		c->st.hook_unknown++;
		return;
	}
	if (e->args_len > size - sizeof(*e)) {
		c->st.bad_record++;
		return;
	}
	c->st.hook++;
	m = pol->meta;
	hidx = (unsigned)(h - m->hooks);
	pol->hook_events[hidx]++;
	if (e->flags & TC_HOOK_F_MONITOR)
		pol->hook_monitor[hidx]++;
	if (e->proc_start)
		p = procs__lookup(c->procs, e->hdr.pid, e->proc_start);
	if (!p)
		p = procs__lookup_pid(c->procs, e->hdr.pid);
	if (p)
		pp = parent_of(c, p);
	else
		c->st.hook_no_process++;
	type = ev_evtype(h->event);
	if (!admit(c, type, p, pp, m->policy_name, h->metric_hook))
		return;
	n = hookarg_split(h, e->args, e->args_len, e->arg_err, ret, args);
	nargs = h->nargs < n ? h->nargs : n;
	action = kprobe_action(e->action);

	if (c->o.fmt == EV_FMT_COMPACT) {
		compact_hook(&c->out, p, procs__node_name(c->procs), c->o.color, h, args, nargs);
		c->st.events++;
		maybe_flush(c);
		return;
	}
	jw_obj_open(&c->out, NULL);
	jw_obj_open(&c->out, meta_event_key(h->event));
	if (p) {
		member_process_tid(c, "process", p, e->hdr.tid);
	} else {
		jw_obj_open(&c->out, "process");
		jw_u32(&c->out, "pid", e->hdr.pid);
		if (e->proc_start)
			jw_ktime(c, &c->out, "start_time", e->proc_start, false);
		jw_obj_close(&c->out);
	}
	if (pp)
		member_process(c, "parent", pp);
	switch (h->event) {
	case TL_EV_KPROBE:
		jw_cstr(&c->out, "function_name", h->function_name);
		args_member(c, args, nargs, false);
		if (ret)
			return_member(c, h, e, args, nargs, n);
		jw_cstr(&c->out, "action", action);
		if (e->flags & TC_HOOK_F_KSTACK)
			stack_member(c, pol, "kernel_stack_trace", e->kstack_id, true, e->hdr.pid);
		policy_fields(c, m);
		message_member(c, h);
		tags_member(c, h);
		if (e->flags & TC_HOOK_F_USTACK)
			stack_member(c, pol, "user_stack_trace", e->ustack_id, false, e->hdr.pid);
		break;
	case TL_EV_TRACEPOINT:
		if (*h->subsys)
			jw_cstr(&c->out, "subsys", h->subsys);
		if (*h->tp_event)
			jw_cstr(&c->out, "event", h->tp_event);
		args_member(c, args, nargs, true);
		policy_fields(c, m);
		jw_cstr(&c->out, "action", action);
		message_member(c, h);
		tags_member(c, h);
		break;
	case TL_EV_UPROBE:
		if (*h->path)
			jw_cstr(&c->out, "path", h->path);
		if (*h->symbol)
			jw_cstr(&c->out, "symbol", h->symbol);
		policy_fields(c, m);
		message_member(c, h);
		args_member(c, args, nargs, false);
		/*
		 * A uretprobe's returnArg.  Tetragon's ProcessUprobe has no such field
		 * (it drops the value); tetracc keeps it under process_kprobe's name
		 * rather than lose it (docs/events.md).
		 */
		if (ret)
			return_member(c, h, e, args, nargs, n);
		tags_member(c, h);
		if (h->offset)
			jw_u64str(&c->out, "offset", h->offset);
		if (h->ref_ctr_offset)
			jw_u64str(&c->out, "ref_ctr_offset", h->ref_ctr_offset);
		jw_cstr(&c->out, "action", action);
		break;
	case TL_EV_USDT:
		if (*h->path)
			jw_cstr(&c->out, "path", h->path);
		if (*h->provider)
			jw_cstr(&c->out, "provider", h->provider);
		if (*h->name)
			jw_cstr(&c->out, "name", h->name);
		policy_fields(c, m);
		message_member(c, h);
		args_member(c, args, nargs, false);
		tags_member(c, h);
		jw_cstr(&c->out, "action", action);
		break;
	case TL_EV_LSM:
	default:
		jw_cstr(&c->out, "function_name", h->function_name);
		policy_fields(c, m);
		message_member(c, h);
		args_member(c, args, nargs, false);
		jw_cstr(&c->out, "action", action);
		tags_member(c, h);
		break;
	}
	jw_obj_close(&c->out);
	envelope_end(c, e->hdr.ktime, false);
	finish_line(c, type, start);
	maybe_flush(c);
}

/* ---- throttle records ------------------------------------------------------------------ */

/* Throttled cgroups: every CPU that crosses the limit sends a START; one event per cgroup. */
static struct ev_throttled *throttled_find(struct ev_ctx *c, uint64_t id)
{
	for (size_t i = 0; i < c->nthrottled; i++)
		if (c->throttled[i].cgroup_id == id)
			return &c->throttled[i];
	return NULL;
}

static void throttle_event(struct ev_ctx *c, bool start_ev, const char *name, size_t cl,
			   uint64_t ktime)
{
	size_t start = c->out.len;

	if (start_ev)
		c->st.throttle_start++;
	else
		c->st.throttle_stop++;
	if (!admit(c, EVT_PROCESS_THROTTLE, NULL, NULL, NULL, NULL))
		return;
	if (c->o.fmt == EV_FMT_COMPACT) {
		compact_throttle(&c->out, start_ev, name, cl, c->o.color);
		c->st.events++;
		maybe_flush(c);
		return;
	}
	jw_obj_open(&c->out, NULL);
	jw_obj_open(&c->out, "process_throttle");
	jw_cstr(&c->out, "type", start_ev ? "THROTTLE_START" : "THROTTLE_STOP");
	if (cl)
		jw_str(&c->out, "cgroup", name, cl);
	jw_obj_close(&c->out);
	envelope_end(c, ktime, false);
	finish_line(c, EVT_PROCESS_THROTTLE, start);
	maybe_flush(c);
}

void ev__throttle_stop(struct ev_ctx *c, uint64_t cgroup_id, uint64_t ktime)
{
	struct ev_throttled *t = throttled_find(c, cgroup_id);
	struct ev_throttled copy;

	if (!t)
		return;
	copy = *t;
	*t = c->throttled[--c->nthrottled];
	throttle_event(c, false, copy.name, strnlen(copy.name, sizeof(copy.name)), ktime);
}

static void on_throttle_rec(struct ev_ctx *c, const struct tc_event_throttle *e)
{
	size_t cl = strnlen(e->cgroup_name, sizeof(e->cgroup_name));

	c->st.throttle++;
	if (e->type != TC_THROTTLE_START && e->type != TC_THROTTLE_STOP) {
		c->st.bad_record++;
		return;
	}
	if (e->type == TC_THROTTLE_START) {
		struct ev_throttled *t;

		if (throttled_find(c, e->cgroup_id))
			return; /* another CPU crossed the limit too */
		if (c->nthrottled < 4096) {
			t = realloc(c->throttled, (c->nthrottled + 1) * sizeof(*t));
			if (!t) {
				fprintf(stderr, "tetraload: out of memory\n");
				abort();
			}
			c->throttled = t;
			t[c->nthrottled].cgroup_id = e->cgroup_id;
			memcpy(t[c->nthrottled].name, e->cgroup_name, cl);
			memset(t[c->nthrottled].name + cl, 0, sizeof(t->name) - cl);
			c->nthrottled++;
		}
		throttle_event(c, true, e->cgroup_name, cl, e->hdr.ktime);
		return;
	}
	/* a STOP record: the same as the loader ending the throttle */
	ev__throttle_stop(c, e->cgroup_id, e->hdr.ktime);
}

static const uint32_t min_size[TC_EV_KIND_MAX] = {
	[TC_EV_EXEC] = sizeof(struct tc_event_exec),
	[TC_EV_FORK] = sizeof(struct tc_event_fork),
	[TC_EV_EXIT] = sizeof(struct tc_event_exit),
	[TC_EV_HOOK] = sizeof(struct tc_event_hook),
	[TC_EV_THROTTLE] = sizeof(struct tc_event_throttle),
	[TC_EV_LOST] = sizeof(struct tc_event_lost),
};

int ev__handle(struct ev_ctx *c, const void *data, size_t size)
{
	/* Aligned copy for callers whose buffer is not 8-byte aligned. */
	static _Alignas(8) unsigned char aligned[TC_EVENT_MAX_SIZE];
	struct tc_event_hdr h;

	c->st.records++;
	if (size < sizeof(h)) {
		c->st.bad_record++;
		return 0;
	}
	memcpy(&h, data, sizeof(h));
	if (!h.kind || h.kind >= TC_EV_KIND_MAX || h.size > size || h.size > TC_EVENT_MAX_SIZE ||
	    h.size < min_size[h.kind]) {
		c->st.bad_record++;
		return 0;
	}
	if (h.version > TC_EVENT_VERSION || h.version == 0) {
		c->st.bad_version++;
		return 0;
	}
	/* Ring-buffer samples are 8-byte aligned; anything else is copied. */
	if ((uintptr_t)data & 7) {
		memcpy(aligned, data, h.size);
		data = aligned;
	}
	switch (h.kind) {
	case TC_EV_EXEC:
		on_exec_rec(c, data, h.size);
		break;
	case TC_EV_FORK:
		on_fork_rec(c, data);
		break;
	case TC_EV_EXIT:
		on_exit_rec(c, data);
		break;
	case TC_EV_HOOK:
		on_hook_rec(c, data, h.size);
		break;
	case TC_EV_THROTTLE:
		on_throttle_rec(c, data);
		break;
	case TC_EV_LOST: {
		const struct tc_event_lost *l = data;

		c->st.lost_records++;
		c->st.lost_events += l->count;
		break;
	}
	default:
		c->st.unsupported++;
		break;
	}
	return 0;
}
