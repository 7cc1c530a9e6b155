/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ynode.h — YAML documents as a tree of located nodes.
 *
 * Built from libyaml's event API so that every node (and every mapping key)
 * keeps its line and column: the policy reader reports problems at the
 * exact node that causes them.  Aliases are resolved to the anchored node
 * (shared, not copied); merge keys (<<) are not expanded and are reported
 * by the reader as unknown keys.  All memory lives in the caller's arena.
 */
#ifndef TETRACC_YNODE_H
#define TETRACC_YNODE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

enum ynode_kind {
	YNODE_SCALAR,
	YNODE_SEQ,
	YNODE_MAP,
};

enum yscalar_style {
	YSCALAR_PLAIN,   /* unquoted: may be null/bool/int per YAML 1.2 core schema */
	YSCALAR_QUOTED,  /* '...' or "..." : always a string */
	YSCALAR_BLOCK,   /* | or > : always a string */
};

struct ynode;

struct ypair {
	struct ynode *key; /* always a scalar in policies; non-scalar keys are reported */
	struct ynode *value;
};

struct ynode {
	enum ynode_kind kind;
	struct tc_loc loc; /* start of the node */
	const char *tag;   /* explicit tag ("!!str"...), or NULL */
	union {
		struct {
			const char *str; /* NUL-terminated; may contain embedded NULs up to len */
			size_t len;
			enum yscalar_style style;
		} scalar;
		struct {
			struct ynode **items;
			size_t n;
		} seq;
		struct {
			struct ypair *pairs;
			size_t n;
		} map;
	};
};

struct ydoc {
	struct ynode *root; /* NULL for an empty document */
	struct tc_loc loc;  /* where the document starts */
};

/*
 * Parse BUF (LEN bytes) named FILE into documents.  Syntax errors are
 * reported through DC; on a syntax error the documents completed before it
 * are still returned.  Returns the number of documents in *DOCS.
 */
size_t ynode_parse(struct arena *a, struct diag_ctx *dc, const char *file, const char *buf,
		   size_t len, struct ydoc **docs);

/* Scalar helpers for the YAML 1.2 core schema as Kubernetes (sigs.k8s.io/yaml) reads it. */
bool ynode_is_null(const struct ynode *n);
/* true/false (also True/TRUE/False/FALSE) in a plain scalar */
bool ynode_bool(const struct ynode *n, bool *out);
/* decimal, 0x hex, 0o octal integer in a plain scalar */
bool ynode_int(const struct ynode *n, long long *out);
const char *ynode_kind_name(const struct ynode *n);
/* The value of KEY in a mapping, or NULL. */
struct ynode *ynode_get(const struct ynode *map, const char *key);

#endif /* TETRACC_YNODE_H */
