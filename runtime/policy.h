/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.h — one compiled policy object on the node: open (read, validate
 * the ELF and the metadata), load (pick each hook's flavour, share the
 * loader's ring buffer, set the loader's rodata, verify), attach, report,
 * read its counters, free.  libbpf-style: tetra_policy__open/__load/
 * __attach/__free, negative errno returns, every failure explained in the
 * policy's `error` or in the hook's `reason`.
 *
 * A hook whose flavours the node lacks is SKIPPED; one the kernel refuses
 * (verifier, attach) is FAILED — and, when another flavour remains, the
 * object is reopened and loaded again with the next one, so one hook never
 * takes its siblings down.
 *
 * The policy set (struct policy_set) owns the loaded policies, gives them
 * ids, and implements --policy-dir and its SIGHUP reload (sha256 of the
 * file bytes tells unchanged objects apart).
 */
#ifndef TETRALOAD_POLICY_H
#define TETRALOAD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "events.h"
#include "kfeatures.h"
#include "meta.h"
#include "tetracc_event.h"

enum tl_hook_state {
	TL_HOOK_PENDING,
	TL_HOOK_ATTACHED,
	TL_HOOK_SKIPPED, /* the node cannot attach any of its flavours */
	TL_HOOK_FAILED,  /* the kernel refused it (load or attach) */
};

struct tl_hook_rt {
	enum tl_hook_state state;
	int flavour;          /* index into attach[] chosen, -1 none */
	bool tried[TL_META_MAX_ATTACH];
	char reason[1024];    /* why skipped/failed (or fallback notes) */
	struct bpf_link *link, *ret_link;
	int prog_fd, ret_prog_fd;
};

enum tl_policy_state {
	TL_POL_LOAD_ERROR, /* the object could not be used at all */
	TL_POL_ENABLED,    /* every hook attached */
	TL_POL_PARTIAL,    /* some hooks attached, some not */
	TL_POL_SKIPPED,    /* no hook could attach */
};

struct tetra_policy {
	char *path;
	char *label;          /* file name for messages */
	uint8_t sha256[32];
	uint32_t id;          /* tc_policy_id */
	struct tl_meta *meta;
	struct bpf_object *obj;
	struct tl_hook_rt *hooks; /* [meta->nhooks] */
	struct ev_policy evp;     /* what the decoder sees */
	enum tl_policy_state state;
	char error[2048];
	double load_ms;       /* open + load + attach, wall */
	bool monitor;         /* enforcement off (policy mode or --enforce=false) */
	int lost_fd, hook_stats_fd;
	/* private */
	void *buf;
	size_t size;
	void *mapinit;        /* copy of .tetracc.mapinit, or NULL */
	size_t mapinit_len;
	struct tetra_policy *next;
};

struct tetra_policy_opts {
	int ringbuf_fd;       /* the loader's tc_events */
	bool enforce;         /* --enforce (default true) */
	bool no_fentry;
	bool verbose;         /* libbpf debug output */
	struct tc_ns host_ns; /* the host's namespace inodes, for tc_host_ns[] (main.c) */
};

/**
 * @brief **tetra_policy__open()** reads `path`, checks the ELF and parses
 * the metadata (no kernel involved).
 * @return 0 with *out set, or -errno with a reason naming the file in err
 */
int tetra_policy__open(const char *path, uint32_t id, struct tetra_policy **out, char *err,
		       size_t errlen);

/**
 * @brief **tetra_policy__load()** chooses flavours, loads the programs.
 * @return 0 when at least one hook loaded; -errno otherwise (p->error says why)
 */
int tetra_policy__load(struct tetra_policy *p, const struct tetra_policy_opts *o);

/** @brief **tetra_policy__attach()** attaches every loaded hook. @return number attached */
int tetra_policy__attach(struct tetra_policy *p);

/** @brief **tetra_policy__report()** prints the per-hook report lines. */
void tetra_policy__report(const struct tetra_policy *p, FILE *f);

/** @brief **tetra_policy__free()** detaches and frees; NULL is allowed. */
void tetra_policy__free(struct tetra_policy *p);

/** @brief **tetra_policy__lost()** tc_lost[0] summed over CPUs (0 without the map). */
uint64_t tetra_policy__lost(const struct tetra_policy *p);

/** @brief **tetra_policy__hook_stat()** tc_hook_stats[hook id] summed; false without the map. */
bool tetra_policy__hook_stat(const struct tetra_policy *p, uint32_t hook_id,
			     struct tc_hook_stat *st);

/** @brief **tetra_policy_hook_desc()** "security_file_open", "syscalls/sys_enter_openat", ... */
const char *tetra_policy_hook_desc(const struct tl_hook *h, char *buf, size_t n);

/** @brief **tetra_policy_state_name()** "enabled", "partially_enabled", ... */
const char *tetra_policy_state_name(enum tl_policy_state s);

/* ---- the set of loaded policies ------------------------------------------------- */

struct policy_set {
	struct tetra_policy *head;
	uint32_t next_id;
	struct ev_ctx *ev;             /* decoder to register policies with */
	struct tetra_policy_opts opts;
	FILE *report;                  /* per-hook report stream (stderr), NULL: quiet */
	uint64_t load_errors;          /* objects that failed to open/load (cumulative) */
	/* called after a policy is detached, before its metadata is freed: drain */
	void (*drain)(void *arg);
	void *drain_arg;
};

/** @brief **policy_set__add()** opens, loads, attaches and reports one object. */
struct tetra_policy *policy_set__add(struct policy_set *s, const char *path);

/**
 * @brief **policy_set__sync_dir()** makes the set match `dir`'s *.bpf.o
 * files: new ones loaded, removed ones detached, changed ones (sha256)
 * replaced, unchanged ones untouched.  Objects added by path (not from the
 * directory) are left alone.
 * @return 0, or -errno when the directory cannot be read (nothing changed)
 */
int policy_set__sync_dir(struct policy_set *s, const char *dir);

/** @brief **policy_set__free()** detaches and frees everything. */
void policy_set__free(struct policy_set *s);

/** @brief **policy_set__all_attached()** true when every hook of every object attached. */
bool policy_set__all_attached(const struct policy_set *s);

#endif /* TETRALOAD_POLICY_H */
