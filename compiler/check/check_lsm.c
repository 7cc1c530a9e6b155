// SPDX-License-Identifier: Apache-2.0
/*
 * check_lsm.c — LSM hooks against a target: the hook must exist as
 * bpf_lsm_<hook> in BTF (did-you-mean over the target's LSM hooks), the
 * target must run the BPF LSM ("bpf" in the active LSMs, which the lsm=
 * boot parameter decides) and be able to attach BPF LSM programs, and the
 * arguments are checked against the hook's prototype.
 */
#include "check_int.h"

#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

/* BPF LSM must be active and attachable: reported once per policy and target. */
static void check_lsm_active(struct val_ctx *v, struct vtarget *vt, const struct tp_hook *h)
{
	struct tc_loc at = h->loc;
	int active = tt_lsm_active(vt->t, "bpf");

	if (v->p && v->p->section == (int)h->kind && v->p->section_loc.line)
		at = v->p->section_loc;
	if (active != 0) {
		val_need_feature(v, vt, TT_FEAT_LSM_BPF, at, "BPF LSM programs are not available");
		return;
	}
	if (!val_once(v, vt, TT_FEAT_LSM_BPF))
		return;
	vf_report(v, val_feature_sev(vt), at,
		  "BPF LSM is not active (lsm= boot parameter lacks bpf)");
	vf_note(v, val_noloc, "active LSMs: %s", vt->t->lsm);
	if (vt->t->lsm_boot_param)
		vf_note(v, val_noloc, "lsm= boot parameter: %s", vt->t->lsm_boot_param);
	vf_help(v, "boot the kernel with lsm=%s,bpf (the active list with bpf added)", vt->t->lsm);
}

void val_hook_LSM(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h)
{
	const char *hook = h->hook.s;
	const char *sugg[TT_MAX_SUGGEST];
	size_t ns;
	__u32 proto;

	check_lsm_active(v, vt, h);
	if (!hook || !*hook || val_has_nul(&h->hook) || !strncmp(hook, "security_", 9) ||
	    !strncmp(hook, "bpf_lsm_", 8))
		return; /* the reader reported it */
	proto = vt->t->btf ? tt_lsm_hook(vt->t, hook) : 0;
	if (!proto) {
		vf_error(v, h->hook.loc, "unknown LSM hook '%s'", hook);
		vf_note(v, val_noloc, "no function bpf_lsm_%s in the BTF of " VAL_TGT, hook);
		ns = tt_suggest_btf_funcs(vt->t, "bpf_lsm_", hook, sugg, 3);
		vf_help_suggest(v, sugg, ns);
		return;
	}
	if (h->args.n || h->data.n) {
		const struct btf_type *pt = btf__type_by_id(vt->t->btf, proto);
		const char *fn = arena_printf(&vt->t->arena, "bpf_lsm_%s", hook);
		struct vparam vp = {
		    .fn = hook,
		    .proto_name = fn,
		    .source = "BTF",
		    .btf = vt->t->btf,
		    .proto_id = proto,
		};

		val_check_args(v, vt, h, &vp, pt ? pt->type : 0);
	}
}
