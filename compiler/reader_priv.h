/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reader_priv.h — internals shared by the policy reader's files.
 *
 *   reader.c        the mapping reader (key tables, scalar types, duplicate
 *                   and unknown keys), documents, metadata, spec, hooks,
 *                   arguments, lists, options, enforcers, label selectors
 *   reader_sel.c    selectors: match* filters and actions
 *   reader_check.c  checks that need more than one node: hook kind against
 *                   arguments and actions, operators against argument types,
 *                   selector values, macros, lists, sections
 *
 * Each mapping of the format is read by yp_read_map() from a table of
 * struct yp_field built from hooks.def / policy.def: the key, the kind of
 * value, where it goes in the AST struct, and for F_CUSTOM a parse function.
 */
#ifndef TETRACC_READER_PRIV_H
#define TETRACC_READER_PRIV_H

#include <stddef.h>

#include "diag.h"
#include "policy.h"
#include "ynode.h"

enum yp_fkind {
	F_STR,	  /* string (struct tp_str) */
	F_BOOL,	  /* boolean (struct tp_bool) */
	F_U32,	  /* integer 0..2^32-1 (struct tp_uint) */
	F_I32,	  /* integer -2^31..2^31-1 (struct tp_sint) */
	F_U64,	  /* integer 0..2^64-1 (struct tp_uint) */
	F_I64,	  /* integer (struct tp_sint) */
	F_STRS,	  /* list of strings (struct tp_strs) */
	F_U32S,	  /* list of uint32 (struct tp_uints) */
	F_U64S,	  /* list of uint64 (struct tp_uints) */
	F_STRMAP, /* mapping string -> string (struct tp_strmap) */
	F_CUSTOM, /* parsed by yp_field.parse */
	F_IGNORE, /* accepted and ignored (server-set metadata) */
};

struct yp_reader;
struct yp_field;

/*
 * A custom field parser.  OBJ is the struct being filled, FIELD points at the
 * member named in the table; KEY is the key node, VAL its (non-null) value.
 */
typedef void yp_parse_fn(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			 const struct ynode *val, void *obj, void *field);

struct yp_field {
	const char *key;
	enum yp_fkind kind;
	size_t off;
	yp_parse_fn *parse;
	bool required;
	unsigned hooks;	    /* HK() mask of hook kinds that accept the key (0: all) */
	unsigned req_hooks; /* HK() mask of hook kinds that require it */
	int section;	    /* spec hook sections: the enum tp_hook_kind (else -1) */
	unsigned ap;	    /* action keys: the AP_* parameter bit */
};

/*
 * A hash index from a name (or a 64-bit number) to a pointer, in the arena:
 * duplicate detection and lookups stay linear on hostile input (a policy
 * may hold up to a million YAML nodes).
 */
struct yp_index_slot {
	const char *key; /* NULL: empty (number keys use num with key = "") */
	uint64_t num;
	void *val;
};

struct yp_index {
	struct yp_index_slot *slots;
	size_t cap; /* power of two, at least twice the entries */
};

/* Make IDX able to hold N entries. */
void yp_index_init(struct arena *a, struct yp_index *idx, size_t n);
/* Insert KEY -> VAL unless KEY is present; returns the existing value or NULL. */
void *yp_index_put(struct yp_index *idx, const char *key, void *val);
void *yp_index_get(const struct yp_index *idx, const char *key);
/* The same for number keys. */
void *yp_index_put_num(struct yp_index *idx, uint64_t num, void *val);
void *yp_index_get_num(const struct yp_index *idx, uint64_t num);

struct yp_reader {
	struct arena *a;
	struct diag_ctx *dc;
	const char *file;
	struct tp_policy *pol;	/* the document being read */
	int hook_kind;		/* kind of the hook being read, -1 outside hooks */
	unsigned op_use;	/* OU_* context for operator names */
	const char *op_ctx;	/* "matchArgs", ... for messages */
	unsigned action_params; /* AP_* keys seen in the action being read */
	unsigned doc_errors;	/* errors + warnings reported before this document */
	bool stopped;		/* too many errors in this document: stop */
	struct yp_index lists;	/* list name -> struct tp_list (first definition) */
	struct yp_index macros; /* macro name -> struct tp_macro */
};

/* ---- reader.c: the mapping reader ------------------------------------- */

/*
 * Diagnostics (errors and warnings) per document after which the reader
 * stops, as compilers' -ferror-limit: a policy with a thousand problems has
 * been reported well enough, and printing each diagnostic costs a scan of
 * the file for its source line.
 */
#define YP_MAX_ERRORS 1000

/* Whether this document has had too many errors (reports it once). */
bool yp_too_many(struct yp_reader *r);

/*
 * Read mapping NODE (called WHAT in messages) into OBJ with the key table
 * FIELDS.  KINDBIT is HK() of the hook kind when reading a hook entry (0
 * otherwise).  Reports unknown keys (did-you-mean), duplicate keys, wrong
 * value types and missing required keys.  Returns false if NODE is not a
 * mapping (after reporting it).
 */
bool yp_read_map(struct yp_reader *r, const struct ynode *node, const char *what,
		 const struct yp_field *fields, size_t nfields, void *obj, unsigned kindbit);

/* Scalars of a given type; report a type error and return false otherwise. */
bool yp_get_str(struct yp_reader *r, const struct ynode *n, const char *what, struct tp_str *out);
bool yp_get_bool(struct yp_reader *r, const struct ynode *n, const char *what, struct tp_bool *out);
bool yp_get_uint(struct yp_reader *r, const struct ynode *n, const char *what, unsigned bits,
		 struct tp_uint *out);
bool yp_get_sint(struct yp_reader *r, const struct ynode *n, const char *what, unsigned bits,
		 struct tp_sint *out);
/* A list node: report and return false if N is not a sequence. */
bool yp_get_seq(struct yp_reader *r, const struct ynode *n, const char *what);
/* Read an enum-valued scalar from NAMES; unknown values get a did-you-mean. */
void yp_get_enum(struct yp_reader *r, const struct ynode *n, const char *what,
		 const char *const *names, struct tp_enum *out);
/* Is N absent/null (YAML null)? */
bool yp_is_null(const struct ynode *n);

/* Whether a tp_str contains a NUL byte before its end. */
static inline bool tp_str_has_nul(const struct tp_str *s)
{
	return s->s && s->len != __builtin_strlen(s->s);
}

/* ---- the custom parsers named in hooks.def / policy.def ---------------- */

yp_parse_fn yp_parse_metadata, yp_parse_spec, yp_parse_return_arg, yp_parse_retaction,
    yp_parse_args, yp_parse_data, yp_parse_ignore, yp_parse_arg_type, yp_parse_data_source,
    yp_parse_enforcers, yp_parse_lists, yp_parse_list_type, yp_parse_options, yp_parse_macros,
    yp_parse_label_selector, yp_parse_label_exprs, yp_parse_label_op;

/* reader_sel.c */
yp_parse_fn yp_parse_selectors, yp_parse_match_pids, yp_parse_match_args, yp_parse_match_binaries,
    yp_parse_match_namespaces, yp_parse_match_ns_changes, yp_parse_match_caps,
    yp_parse_match_workloads, yp_parse_actions, yp_parse_operator, yp_parse_namespace,
    yp_parse_cap_set, yp_parse_action_name, yp_parse_rl_scope;

/* Read one selector mapping (used for selectors[] and selectorsMacros values). */
void yp_read_selector(struct yp_reader *r, const struct ynode *node, struct tp_selector *sel);

/* ---- reader_check.c ------------------------------------------------------ */

/* All checks of a policy that span several nodes; run after reading it. */
void yp_check_policy(struct yp_reader *r, struct tp_policy *p);

#endif /* TETRACC_READER_PRIV_H */
