// SPDX-License-Identifier: Apache-2.0
/*
 * bench.c — throughput of the user-space event path (decode, process cache,
 * rendering, buffering) without the kernel.  Records look like what the
 * base sensor writes for `cat /etc/passwd` run from a shell in a container:
 * an exec (binary, two arguments, cwd, docker cgroup name) and its exit.
 */
#include "bench.h"

#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int discard(void *arg, const char *buf, size_t n)
{
	(void)buf;
	*(uint64_t *)arg += n;
	return 0;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int bench_decode(uint64_t n, const struct ev_opts *o, const char *node)
{
	static const char bin[] = "/usr/bin/cat";
	static const char args[] = "cat\0/etc/passwd\0--number\0";
	static const char cwd[] = "/home/user/src";
	static const char cg[] = "docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
				 "abcdef.scope";
	_Alignas(8) unsigned char rec[sizeof(struct tc_event_exec) + 256];
	struct tc_event_exec *e = (void *)rec;
	struct tc_event_exit x = { 0 };
	struct ev_opts eo = *o;
	uint64_t bytes = 0, ktime = 1000000000ull, i;
	struct procs *pc;
	struct ev_ctx c;
	double t0, t, c0, cpu;
	size_t tail;

	pc = procs__new(65536, node);
	if (!pc)
		return 1;
	eo.flush = discard;
	eo.flush_arg = &bytes;
	ev__init(&c, pc, &eo);

	/* the parent shell */
	{
		struct proc_desc d = {
			.pid = 1000,
			.tid = 1000,
			.ppid = 1,
			.ktime = 500,
			.flags = TC_EXEC_F_PROCFS,
			.procfs = true,
			.binary = "/bin/bash",
			.binary_len = 9,
			.cwd = cwd,
			.cwd_len = sizeof(cwd) - 1,
		};
		ev__procfs(&c, &d);
	}

	memset(rec, 0, sizeof(rec));
	e->hdr.kind = TC_EV_EXEC;
	e->hdr.version = TC_EVENT_VERSION;
	e->ppid = 1000;
	e->parent_start_time = 500;
	e->flags = TC_EXEC_F_EXECVE | TC_EXEC_F_CLONE;
	e->auid = 1000;
	e->creds.uid = e->creds.euid = e->creds.suid = e->creds.fsuid = 1000;
	e->creds.gid = e->creds.egid = e->creds.sgid = e->creds.fsgid = 1000;
	e->creds.cap_effective = e->creds.cap_permitted = 0x1ffffffffffull;
	e->ns.uts = e->ns.ipc = e->ns.mnt = e->ns.pid = e->ns.net = 4026531838u;
	memcpy(e->cgroup_name, cg, sizeof(cg));
	tail = 0;
	memcpy(e->data + tail, bin, sizeof(bin) - 1);
	tail += sizeof(bin) - 1;
	memcpy(e->data + tail, args, sizeof(args) - 1);
	tail += sizeof(args) - 1;
	memcpy(e->data + tail, cwd, sizeof(cwd) - 1);
	tail += sizeof(cwd) - 1;
	e->filename_len = sizeof(bin) - 1;
	e->args_len = sizeof(args) - 1;
	e->cwd_len = sizeof(cwd) - 1;
	e->hdr.size = sizeof(*e) + tail;

	x.hdr.kind = TC_EV_EXIT;
	x.hdr.version = TC_EVENT_VERSION;
	x.hdr.size = sizeof(x);
	x.ppid = 1000;

	t0 = clock_s(CLOCK_MONOTONIC);
	c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < n; i += 2) {
		uint32_t pid = 2000 + (uint32_t)(i / 2 % 4000000);

		ktime += 1000;
		e->hdr.pid = e->hdr.tid = pid;
		e->hdr.ktime = e->start_time = ktime;
		ev__handle(&c, rec, e->hdr.size);
		x.hdr.pid = x.hdr.tid = pid;
		x.hdr.ktime = ktime + 500;
		x.start_time = ktime;
		x.exit_code = (i & 6) ? 0 : 9;
		ev__handle(&c, &x, sizeof(x));
	}
	ev__flush(&c);
	t = clock_s(CLOCK_MONOTONIC) - t0;
	cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	/* CPU time too: on a shared machine the wall clock includes waiting for a core */
	printf("bench-decode: %llu records, %llu events in %.3f s (%.3f s CPU): %.0f events/s "
	       "wall, %.0f events/s per CPU second, %.1f MB/s of %s output (%.0f bytes/event)\n",
	       (unsigned long long)c.st.records, (unsigned long long)c.st.events, t, cpu,
	       c.st.events / t, c.st.events / cpu, bytes / t / 1e6,
	       o->fmt == EV_FMT_JSON ? "JSON" : "compact",
	       c.st.events ? (double)bytes / c.st.events : 0.0);
	ev__fini(&c);
	procs__free(pc);
	return 0;
}

static const char hook_meta[] =
	"{\"format\":1,\"policy\":{\"name\":\"bench-openat\"},\"hooks\":[{\"id\":0,"
	"\"kind\":\"tracepoint\",\"subsys\":\"syscalls\",\"tp_event\":\"sys_enter_openat\","
	"\"attach\":[{\"flavour\":\"tracepoint\",\"program\":\"p\"}],\"args\":["
	"{\"type\":\"int\"},{\"type\":\"string\"},{\"type\":\"int\"},{\"type\":\"uint32\"}],"
	"\"message\":\"openat\",\"tags\":[\"observability.filesystem\"]}]}";

int bench_decode_hooks(uint64_t n, const struct ev_opts *o, const char *node)
{
	static const char path[] = "/etc/ld.so.cache";
	_Alignas(8) unsigned char rec[sizeof(struct tc_event_hook) + 64];
	struct tc_event_hook *e = (void *)rec;
	uint64_t bytes = 0, ev[1] = { 0 }, mon[1] = { 0 }, i;
	struct ev_opts eo = *o;
	struct ev_policy pol = { 0 };
	struct tl_meta *m;
	struct procs *pc;
	struct ev_ctx c;
	double t0, t, c0, cpu;
	char err[256];
	uint32_t v;
	size_t a = 0;

	m = meta_parse(hook_meta, sizeof(hook_meta) - 1, err, sizeof(err));
	pc = procs__new(65536, node);
	if (!m || !pc) {
		fprintf(stderr, "bench: %s\n", m ? "out of memory" : err);
		meta_free(m);
		procs__free(pc);
		return 1;
	}
	eo.flush = discard;
	eo.flush_arg = &bytes;
	ev__init(&c, pc, &eo);
	pol.meta = m;
	pol.hook_events = ev;
	pol.hook_monitor = mon;
	ev__set_policy(&c, 1, &pol);
	/* a parent shell and 16 workers under it */
	for (uint32_t k = 0; k <= 16; k++) {
		struct proc_desc d = {
			.pid = 1000 + k, .tid = 1000 + k, .ppid = k ? 1000 : 1, .ktime = 500 + k,
			.pktime = k ? 500 : 0, .flags = TC_EXEC_F_EXECVE | TC_EXEC_F_CLONE,
			.binary = k ? "/usr/bin/cat" : "/bin/bash", .binary_len = k ? 12 : 9,
			.argv = "/etc/passwd", .argv_len = k ? 11 : 0, .cwd = "/home/user",
			.cwd_len = 10,
		};

		procs__insert(pc, &d);
	}
	memset(rec, 0, sizeof(rec));
	v = (uint32_t)-100;
	memcpy(e->args + a, &v, 4);
	a += 4;
	v = sizeof(path) - 1;
	memcpy(e->args + a, &v, 4);
	a += 4;
	memcpy(e->args + a, path, sizeof(path) - 1);
	a += sizeof(path) - 1;
	v = 0x80000;
	memcpy(e->args + a, &v, 4);
	a += 4;
	v = 0;
	memcpy(e->args + a, &v, 4);
	a += 4;
	e->hdr.kind = TC_EV_HOOK;
	e->hdr.version = TC_EVENT_VERSION;
	e->hdr.size = (uint32_t)(sizeof(*e) + a);
	e->policy_id = 1;
	e->action = TC_ACTION_POST;
	e->selector = TC_SELECTOR_NONE;
	e->kstack_id = e->ustack_id = -1;
	e->args_len = (uint32_t)a;

	t0 = clock_s(CLOCK_MONOTONIC);
	c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < n; i++) {
		uint32_t pid = 1001 + (uint32_t)(i & 15);

		e->hdr.pid = e->hdr.tid = pid;
		e->hdr.ktime = 1000000000ull + i * 100;
		ev__handle(&c, rec, e->hdr.size);
	}
	ev__flush(&c);
	t = clock_s(CLOCK_MONOTONIC) - t0;
	cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	printf("bench-decode-hooks: %llu records, %llu events in %.3f s (%.3f s CPU): %.0f "
	       "events/s wall, %.0f events/s per CPU second, %.1f MB/s of %s output (%.0f "
	       "bytes/event)\n",
	       (unsigned long long)c.st.records, (unsigned long long)c.st.events, t, cpu,
	       c.st.events / t, c.st.events / cpu, bytes / t / 1e6,
	       o->fmt == EV_FMT_JSON ? "JSON" : "compact",
	       c.st.events ? (double)bytes / c.st.events : 0.0);
	ev__fini(&c);
	procs__free(pc);
	meta_free(m);
	return 0;
}
