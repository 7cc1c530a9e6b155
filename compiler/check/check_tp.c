// SPDX-License-Identifier: Apache-2.0
/*
 * check_tp.c — tracepoints against a target.  A tracefs tracepoint must
 * exist (subsystem and event, with did-you-mean over the target's events),
 * each args[].index must be a field of its format counting the common
 * fields (policy-spec.md §2.3), and the declared type must read that field:
 * `auto` is inferred as Tetragon does (4/8-byte integers, size_t, char *
 * as char_buf with sizeArgIndex, arrays as const_buf) and refused where
 * Tetragon would refuse it; __data_loc fields need data_loc.  A raw
 * tracepoint (`raw: true`) must have a TP_PROTO in BTF (btf_trace_<event>
 * or __bpf_trace_<event>) and its arguments are checked like a function's.
 */
#include "check_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "tracefs.h"

static struct tc_loc tp_section_loc(struct val_ctx *v, const struct tp_hook *h)
{
	if (v->p && v->p->section == (int)h->kind && v->p->section_loc.line)
		return v->p->section_loc;
	return h->loc;
}

/* ---- unknown events --------------------------------------------------------- */

/* Events of SUBSYS ("subsys/event" entries), event part only, into OUT. */
static size_t events_of(struct vtarget *vt, const char *subsys, const char ***out)
{
	size_t n, k = 0, l = strlen(subsys);
	const char *const *ev = tt_events(vt->t, &n);

	*out = xmalloc((n + 1) * sizeof(**out));
	for (size_t i = 0; i < n; i++)
		if (!strncmp(ev[i], subsys, l) && ev[i][l] == '/')
			(*out)[k++] = ev[i] + l + 1;
	return k;
}

/* The subsystem holding EVENT, or NULL. */
static const char *subsys_of(struct vtarget *vt, const char *event)
{
	size_t n, l = strlen(event);
	const char *const *ev = tt_events(vt->t, &n);

	for (size_t i = 0; i < n; i++) {
		const char *slash = strchr(ev[i], '/');

		if (slash && !strcmp(slash + 1, event))
			return arena_strndup(&vt->t->arena, ev[i], (size_t)(slash - ev[i]));
	}
	(void)l;
	return NULL;
}

static void unknown_event(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h)
{
	const char *subsys = h->subsystem.s, *event = h->event.s;
	const char *sugg[TT_MAX_SUGGEST], *other;
	const char **names;
	size_t nsub, ns, nev;
	const char *const *subs = tt_subsystems(vt->t, &nsub);
	bool have_subsys = false;

	for (size_t i = 0; i < nsub; i++)
		have_subsys |= !strcmp(subs[i], subsys);
	if (!have_subsys) {
		other = subsys_of(vt, event);
		vf_error(v, h->subsystem.loc, "unknown tracepoint subsystem '%s'", subsys);
		vf_note(v, val_noloc, "not among the %zu subsystems of events/ on " VAL_TGT, nsub);
		if (other) {
			vf_help(v, "event '%s' is in subsystem '%s'", event, other);
		} else {
			ns = tt_suggest_strings(subsys, subs, nsub, sugg, 3);
			vf_help_suggest(v, sugg, ns);
		}
		return;
	}
	nev = events_of(vt, subsys, &names);
	other = subsys_of(vt, event);
	vf_error(v, h->event.loc, "unknown tracepoint '%s/%s'", subsys, event);
	vf_note(v, val_noloc, "not among the %zu events of subsystem '%s' on " VAL_TGT, nev,
		subsys);
	if (other) {
		vf_help(v, "event '%s' is in subsystem '%s'", event, other);
	} else {
		ns = tt_suggest_strings(event, names, nev, sugg, 3);
		vf_help_suggest(v, sugg, ns);
	}
	free(names);
}

/* ---- fields ------------------------------------------------------------------ */

/* "fields: 0 common_type, ..., 5 dfd, 6 filename" (owned by the target) */
static const char *field_list(struct vtarget *vt, const struct tf_format *fmt)
{
	struct array a = {0};
	const char *r;

	for (size_t i = 0; i < fmt->nfields; i++) {
		char *s = xasprintf("%s%zu %s", i ? ", " : "", i, fmt->fields[i].name);
		size_t n = strlen(s);

		memcpy(array_add(&a, n), s, n);
		free(s);
	}
	*(char *)array_add(&a, 1) = 0;
	r = arena_strdup(&vt->t->arena, a.val);
	array_free(&a);
	return r;
}

static void field_note(struct val_ctx *v, const struct tp_hook *h, const struct tf_field *f)
{
	char *line = val_field_line(f);

	vf_note(v, val_noloc, "%s/%s format: %s", h->subsystem.s, h->event.s, line);
	free(line);
}

static bool is_int_name(const char *t)
{
	int k = tp_vocab_find(tp_type_names, t);

	return k >= 0 && tp_types[k].bits && tp_types[k].group != TG_CAP;
}

/* `auto` on field F: what Tetragon infers, or an error. */
static void check_auto(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h, struct tp_arg *a,
		       const struct tf_field *f, unsigned idx)
{
	char why[200];
	const char *t = tt_argtype_for_tp_field(f, why, sizeof(why));
	const char *inferred = NULL;

	if (f->data_loc || f->rel_loc) {
		vf_error(v, val_type_loc(a),
			 "type 'auto' cannot read field %u '%s' of %s/%s: it is a __data_loc "
			 "array",
			 idx, f->name, h->subsystem.s, h->event.s);
		field_note(v, h, f);
		if (t)
			vf_help(v, "write type: \"%s\"", t);
		return;
	}
	if (f->array_len >= 0) {
		inferred = "const_buf";
	} else if (f->pointer == 1 && t && !strcmp(t, "string")) {
		if (a->size_arg_index.set && a->size_arg_index.v) {
			inferred = "char_buf";
		} else {
			vf_error(v, val_type_loc(a),
				 "type 'auto' reads field %u '%s' (%s) of %s/%s as char_buf, which "
				 "needs 'sizeArgIndex'",
				 idx, f->name, f->type, h->subsystem.s, h->event.s);
			field_note(v, h, f);
			vf_help(v, "write type: \"string\" to read the NUL-terminated text, or add "
				   "sizeArgIndex (the 1-based field index of the length)");
			return;
		}
	} else if (f->pointer) {
		vf_error(v, val_type_loc(a),
			 "type 'auto' cannot read field %u '%s' (%s) of %s/%s: Tetragon infers "
			 "no type for pointers",
			 idx, f->name, f->type, h->subsystem.s, h->event.s);
		field_note(v, h, f);
		vf_help(v, "write type: \"uint64\" for the pointer value");
		return;
	} else if (f->size == 4 || f->size == 8) {
		inferred = t && !strcmp(t, "size_t") ? "size_t"
			   : f->size == 4	     ? (f->is_signed ? "int32" : "uint32")
						     : (f->is_signed ? "int64" : "uint64");
	} else {
		vf_error(v, val_type_loc(a),
			 "type 'auto' cannot read field %u '%s' (%s, %u byte%s) of %s/%s", idx,
			 f->name, f->type, f->size, f->size == 1 ? "" : "s", h->subsystem.s,
			 h->event.s);
		vf_note(v, val_noloc,
			"auto types only 4- and 8-byte integers, size_t, char * and "
			"arrays");
		field_note(v, h, f);
		if (t)
			vf_help(v, "write type: \"%s\"", t);
		return;
	}
	val_set_inferred(v, h, a, inferred);
	vf_verbose(v, val_type_loc(a), "inferred type '%s' for field %u '%s' (%s) of %s/%s",
		   inferred, idx, f->name, f->decl ? f->decl : f->type, h->subsystem.s, h->event.s);
}

/* An explicit type on field F. */
static void check_declared(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
			   struct tp_arg *a, const struct tf_field *f, unsigned idx)
{
	const char *decl = val_type_name(a);
	int canon = tp_types[a->type.v].canon;
	char why[256] = "", w2[200];
	const char *nat = tt_argtype_for_tp_field(f, w2, sizeof(w2));
	enum tt_compat c = TT_COMPAT_OK;
	const struct btf *btf;
	__u32 id;

	if (canon == TP_TYPE_NOP || canon == TP_TYPE_SYSCALL64)
		return;
	if (canon == TP_TYPE_CHAR_BUF && !(a->size_arg_index.set && a->size_arg_index.v)) {
		vf_error(v, val_type_loc(a),
			 "type 'char_buf' on field %u '%s' of %s/%s needs 'sizeArgIndex' (the "
			 "field holding the length)",
			 idx, f->name, h->subsystem.s, h->event.s);
		vf_note(v, val_noloc, "Tetragon refuses it: \"no metadata field for buffer\"");
		field_note(v, h, f);
		vf_help(v, "add sizeArgIndex (1-based field index), or write type: \"string\"");
		return;
	}
	if (f->data_loc || f->rel_loc) {
		if (canon == TP_TYPE_DATA_LOC)
			return;
		snprintf(why, sizeof(why),
			 "field '%s' is a __data_loc array: only 'data_loc' "
			 "reads it",
			 f->name);
		c = TT_COMPAT_ERROR;
	} else if (canon == TP_TYPE_DATA_LOC) {
		snprintf(why, sizeof(why), "'data_loc' reads a __data_loc field, but '%s' is %s",
			 f->name, f->type);
		c = TT_COMPAT_ERROR;
	} else if (f->array_len >= 0) {
		unsigned d = is_int_name(decl) ? tp_types[a->type.v].bits / 8 : 0;

		if (d && d <= f->size)
			return;
		if ((canon == TP_TYPE_STRING || canon == TP_TYPE_CHAR_BUF) && f->size &&
		    strstr(f->type, "char")) {
			snprintf(why, sizeof(why),
				 "'%s' reads through a pointer, but '%s' is an array in the "
				 "record; type 'auto' copies it",
				 decl, f->name);
			c = TT_COMPAT_WARN;
		} else {
			snprintf(why, sizeof(why), "'%s' cannot read the array '%s' (%u bytes)",
				 decl, f->name, f->size);
			c = TT_COMPAT_ERROR;
		}
		nat = "auto";
	} else if (!f->pointer && is_int_name(decl)) {
		unsigned d = tp_types[a->type.v].bits / 8;

		if (d > f->size) {
			snprintf(why, sizeof(why),
				 "'%s' reads %u bytes, but field '%s' has %u: the rest belongs to "
				 "the next field",
				 decl, d, f->name, f->size);
			c = TT_COMPAT_WARN;
		} else if (d < f->size) {
			/* syscall fields are 8 bytes whatever the C type: the type's width counts
			 */
			id = val_ctype_id(vt, f->type, &btf);
			if (!id || btf__resolve_size(btf, id) != d) {
				snprintf(why, sizeof(why),
					 "'%s' keeps %u of the %u bytes of field '%s'", decl, d,
					 f->size, f->name);
				c = TT_COMPAT_WARN;
			}
		}
	} else {
		id = val_ctype_id(vt, f->type, &btf);
		if (!id)
			return; /* a C type the target's BTF does not name: not checked */
		c = tt_argtype_compatible(btf, id, decl, why, sizeof(why));
	}
	if (c == TT_COMPAT_OK)
		return;
	vf_report(v, c == TT_COMPAT_ERROR ? DIAG_ERROR : DIAG_WARNING, val_type_loc(a),
		  "type '%s' does not fit field %u '%s' (%s) of %s/%s", decl, idx, f->name,
		  f->decl ? f->decl : f->type, h->subsystem.s, h->event.s);
	if (*why)
		vf_note(v, val_noloc, "%s", why);
	field_note(v, h, f);
	if (nat && strcmp(nat, decl) != 0)
		vf_help(v, "write type: \"%s\"", nat);
}

/* sizeArgIndex names a (1-based) field holding the length. */
static void check_size_field(struct val_ctx *v, struct tp_hook *h, const struct tp_arg *a,
			     const struct tf_format *fmt)
{
	const struct tf_field *f;
	uint64_t k;

	if (!a->size_arg_index.set || !a->size_arg_index.v || a->size_arg_index.v > 15)
		return;
	k = a->size_arg_index.v - 1;
	if (k >= fmt->nfields) {
		vf_error(v, a->size_arg_index.loc,
			 "sizeArgIndex %llu names no field: %s/%s has %zu fields",
			 (unsigned long long)a->size_arg_index.v, h->subsystem.s, h->event.s,
			 fmt->nfields);
		vf_note(v, val_noloc, "sizeArgIndex is 1-based: %llu means field index %llu",
			(unsigned long long)a->size_arg_index.v, (unsigned long long)k);
		return;
	}
	f = &fmt->fields[k];
	if (f->pointer || f->array_len >= 0 || f->data_loc) {
		vf_warning(v, a->size_arg_index.loc,
			   "sizeArgIndex %llu names field %llu '%s' (%s), which is not a length",
			   (unsigned long long)a->size_arg_index.v, (unsigned long long)k, f->name,
			   f->type);
		vf_note(v, val_noloc, "sizeArgIndex is 1-based: %llu means field index %llu",
			(unsigned long long)a->size_arg_index.v, (unsigned long long)k);
		field_note(v, h, f);
	}
}

static void check_format_args(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
			      const struct tf_format *fmt)
{
	for (size_t i = 0; i < h->args.n; i++) {
		struct tp_arg *a = &h->args.v[i];
		const struct tf_field *f;
		unsigned idx;

		if (!a->index.set)
			continue;
		if (a->index.v >= fmt->nfields) {
			vf_error(v, a->index.loc,
				 "tracepoint %s/%s has %zu fields but field %llu was requested",
				 h->subsystem.s, h->event.s, fmt->nfields,
				 (unsigned long long)a->index.v);
			vf_note(v, val_noloc, "%s/%s fields on " VAL_TGT ": %s", h->subsystem.s,
				h->event.s, field_list(vt, fmt));
			vf_note(v, val_noloc, "the index counts the %zu common fields",
				fmt->ncommon);
			continue;
		}
		idx = (unsigned)a->index.v;
		f = &fmt->fields[idx];
		if (a->type.v == TP_TYPE_AUTO)
			check_auto(v, vt, h, a, f, idx);
		else if (a->type.v >= 0)
			check_declared(v, vt, h, a, f, idx);
		check_size_field(v, h, a, fmt);
		if (f->common && idx < fmt->ncommon && fmt->nfields > fmt->ncommon) {
			vf_warning(v, a->index.loc,
				   "field %u of %s/%s is the common field '%s', not one of the "
				   "event's own",
				   idx, h->subsystem.s, h->event.s, f->name);
			vf_note(v, val_noloc, "the index counts the %zu common fields first",
				fmt->ncommon);
			vf_help(v, "the event's own fields start at index %zu ('%s')", fmt->ncommon,
				fmt->fields[fmt->ncommon].name);
		}
	}
}

static void check_raw(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h)
{
	__u32 proto;
	const char *sugg[TT_MAX_SUGGEST];
	size_t ns;

	val_need_feature(v, vt, TT_FEAT_RAW_TP, tp_section_loc(v, h),
			 "raw tracepoints are not available");
	proto = vt->t->btf ? tt_raw_tracepoint(vt->t, h->event.s) : 0;
	if (!proto) {
		vf_error(v, h->event.loc, "unknown raw tracepoint '%s'", h->event.s);
		vf_note(v, val_noloc,
			"no btf_trace_%s typedef or __bpf_trace_%s function in the BTF of " VAL_TGT,
			h->event.s, h->event.s);
		ns = tt_suggest_btf_funcs(vt->t, "__bpf_trace_", h->event.s, sugg, 3);
		vf_help_suggest(v, sugg, ns);
		return;
	}
	{
		struct vparam vp = {
		    .fn = h->event.s,
		    .proto_name = h->event.s,
		    .source = "TP_PROTO (BTF, with the hidden void *__data first)",
		    .btf = vt->t->btf,
		    .proto_id = proto,
		    .skip = 1,
		};

		val_check_args(v, vt, h, &vp, 0);
	}
}

/* A target without event formats (tracefs not readable) cannot judge tracepoints. */
static bool have_events(struct val_ctx *v, struct vtarget *vt, const struct tp_hook *h)
{
	if (tt_has_events(vt->t))
		return true;
	if (val_once(v, vt, VAL_ONCE_NOEVENTS)) {
		vf_warning(v, tp_section_loc(v, h),
			   "tracepoints not checked: the target has no tracefs event formats");
		vf_note(v, val_noloc, "%s",
			vt->live ? "is tracefs mounted and readable (root)?"
				 : "the snapshot has no events/ directory");
	}
	return false;
}

void val_hook_TRACEPOINT(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h)
{
	const struct tf_format *fmt;
	const char *why = NULL;

	if (!h->subsystem.s || !h->event.s || !*h->subsystem.s || !*h->event.s ||
	    val_has_nul(&h->subsystem) || val_has_nul(&h->event) || strchr(h->subsystem.s, '/') ||
	    strchr(h->event.s, '/') || h->subsystem.s[0] == '.' || h->event.s[0] == '.')
		return;
	if (h->raw.v) {
		check_raw(v, vt, h);
		return;
	}
	val_need_feature(v, vt, TT_FEAT_TRACEPOINTS, tp_section_loc(v, h),
			 "tracepoints are not available");
	if (!have_events(v, vt, h))
		return;
	fmt = tt_tracepoint(vt->t, h->subsystem.s, h->event.s, &why);
	if (!fmt) {
		/* tt_tracepoint() says "PATH does not parse..." for a format it cannot read */
		const char *path = tt_event_path(vt->t, h->subsystem.s, h->event.s);
		size_t n;

		tt_events(vt->t, &n);
		if (why && !strncmp(why, path, strlen(path)) &&
		    !strncmp(why + strlen(path), " does not parse", 15)) {
			vf_error(v, h->event.loc, "the format of %s/%s does not parse",
				 h->subsystem.s, h->event.s);
			vf_note(v, val_noloc, "%s", why);
			return;
		}
		unknown_event(v, vt, h);
		return;
	}
	check_format_args(v, vt, h, fmt);
}
