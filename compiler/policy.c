// SPDX-License-Identifier: Apache-2.0
/*
 * policy.c — the vocabulary tables of the TracingPolicy AST.
 *
 * Every table here is expanded from hooks.def or policy.def, so the names,
 * properties and enum values can never disagree.  Name arrays are
 * NULL-terminated so they can be handed to diag_suggest() as they are.
 */
#include "policy.h"

#include <string.h>

const struct tp_hook_info tp_hooks[TP_HOOK__COUNT] = {
#define HOOK(id, section, item, event, flags, maxidx)                                              \
	[TP_HOOK_##id] = {section, item, event, flags, maxidx},
#include "hooks.def"
};

const char *const tp_type_group_names[TG__COUNT] = {
#define TYPE_GROUP(id, doc) [TG_##id] = #id,
#include "policy.def"
};

const char *const tp_type_group_docs[TG__COUNT] = {
#define TYPE_GROUP(id, doc) [TG_##id] = doc,
#include "policy.def"
};

const struct tp_type_info tp_types[TP_TYPE__COUNT] = {
#define ARG_TYPE(id, name, canon, group, bits, sign, crd, event)                                   \
	[TP_TYPE_##id] = {name, TP_TYPE_##canon, TG_##group, bits, sign, crd, event},
#include "policy.def"
};

const char *const tp_type_names[TP_TYPE__COUNT + 1] = {
#define ARG_TYPE(id, name, canon, group, bits, sign, crd, event) [TP_TYPE_##id] = name,
#include "policy.def"
};

const struct tp_op_info tp_ops[TP_OP__COUNT] = {
#define OPERATOR(id, name, canon, use, vals, minv, maxv, tgmax, neg, groups)                       \
	[TP_OP_##id] = {name, TP_OP_##canon, use, vals, minv, maxv, tgmax, neg, groups},
#include "policy.def"
};

const char *const tp_op_names[TP_OP__COUNT + 1] = {
#define OPERATOR(id, name, canon, use, vals, minv, maxv, tgmax, neg, groups) [TP_OP_##id] = name,
#include "policy.def"
};

const struct tp_action_info tp_actions[TP_ACT__COUNT] = {
#define ACTION(id, name, params, enforce, kp, fe, tp, up, us, lsm)                                 \
	[TP_ACT_##id] = {name, params, enforce, {kp, fe, tp, up, us, lsm}},
#include "policy.def"
};

const char *const tp_action_names[TP_ACT__COUNT + 1] = {
#define ACTION(id, name, params, enforce, kp, fe, tp, up, us, lsm) [TP_ACT_##id] = name,
#include "policy.def"
};

const char *const tp_namespace_names[TP_NS__COUNT + 1] = {
#define NAMESPACE(id, name, num) [TP_NS_##id] = name,
#include "policy.def"
};

const char *const tp_cap_set_names[TP_CAPSET__COUNT + 1] = {
#define CAP_SET(id, name) [TP_CAPSET_##id] = name,
#include "policy.def"
};

const char *const tp_rl_scope_names[TP_RLS__COUNT + 1] = {
#define RL_SCOPE(id, name) [TP_RLS_##id] = name,
#include "policy.def"
};

const char *const tp_list_type_names[TP_LIST__COUNT + 1] = {
#define LIST_TYPE(id, name, gen) [TP_LIST_##id] = name,
#include "policy.def"
};

const bool tp_list_type_generated[TP_LIST__COUNT] = {
#define LIST_TYPE(id, name, gen) [TP_LIST_##id] = gen,
#include "policy.def"
};

const struct tp_option_info tp_options[TP_OPT__COUNT] = {
#define OPTION(id, name, values, choices, doc) [TP_OPT_##id] = {name, values, choices, doc},
#include "policy.def"
};

const char *const tp_option_names[TP_OPT__COUNT + 1] = {
#define OPTION(id, name, values, choices, doc) [TP_OPT_##id] = name,
#include "policy.def"
};

const char *const tp_data_source_names[TP_SRC__COUNT + 1] = {
#define DATA_SOURCE(id, name) [TP_SRC_##id] = name,
#include "policy.def"
};

const char *const tp_label_op_names[TP_LOP__COUNT + 1] = {
#define LABEL_OP(id, name, values) [TP_LOP_##id] = name,
#include "policy.def"
};

const char *const tp_retarg_action_names[TP_RA__COUNT + 1] = {
#define RETARG_ACTION(id, name) [TP_RA_##id] = name,
#include "policy.def"
};

int tp_vocab_find(const char *const *names, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const struct tp_list *tp_find_list(const struct tp_policy *p, const char *name)
{
	for (size_t i = 0; i < p->lists.n; i++)
		if (p->lists.v[i].name.s && strcmp(p->lists.v[i].name.s, name) == 0)
			return &p->lists.v[i];
	return NULL;
}

bool tp_hook_is_syscall(const struct tp_hook *h)
{
	if (!(tp_hooks[h->kind].flags & HF_SYSCALL))
		return false;
	if (h->call_list && (h->call_list->type.v == TP_LIST_SYSCALLS ||
			     h->call_list->type.v == TP_LIST_GENERATED_SYSCALLS))
		return true;
	return h->syscall.v; /* true when not written (CRD default) */
}
