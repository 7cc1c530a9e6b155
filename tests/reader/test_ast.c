// SPDX-License-Identifier: Apache-2.0
/*
 * test_ast.c — unit tests of the AST yp_read() returns: Tetragon's defaults
 * are applied, locations are kept, selector macros are expanded, `list:`
 * references resolved, matchArgs entries bound to their argument and
 * selector values parsed for their operator and argument type; and the
 * vocabulary tables generated from hooks.def / policy.def agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"

struct doc {
	struct arena a;
	struct diag_ctx *dc;
	FILE *out;
	char *text;
	size_t len;
	struct tp_policy *p;
	size_t n;
};

static void read_policy(struct doc *d, const char *yaml)
{
	memset(d, 0, sizeof(*d));
	d->out = open_memstream(&d->text, &d->len);
	d->dc = diag_new(d->out, DIAG_FMT_TEXT);
	d->p = yp_read(&d->a, d->dc, "t.yaml", yaml, strlen(yaml), &d->n);
	diag_flush(d->dc);
	fflush(d->out);
}

static void done(struct doc *d)
{
	diag_free(d->dc);
	fclose(d->out);
	free(d->text);
	arena_free(&d->a);
}

#define HEAD "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec:\n"

static void test_defaults(void **state)
{
	struct doc d;
	const struct tp_hook *h;
	const struct tp_selector *s;

	(void)state;
	read_policy(&d, HEAD "  kprobes:\n"
			     "  - call: \"sys_write\"\n"
			     "    args:\n"
			     "    - index: 0\n"
			     "      type: \"int\"\n"
			     "    selectors:\n"
			     "    - matchCapabilities:\n"
			     "      - operator: In\n"
			     "        values: [\"CAP_SYS_ADMIN\", \"cap_net_raw\"]\n"
			     "      matchActions:\n"
			     "      - action: Post\n"
			     "        rateLimit: \"2m\"\n");
	assert_int_equal(diag_errors(d.dc), 0);
	assert_int_equal(d.n, 1);
	assert_true(d.p[0].valid);
	assert_int_equal(d.p[0].kind, TP_KIND_CLUSTER);
	assert_string_equal(d.p[0].name.s, "t");
	assert_int_equal(d.p[0].section, TP_HOOK_KPROBE);
	h = &d.p[0].hooks.v[0];
	assert_int_equal(h->kind, TP_HOOK_KPROBE);
	assert_false(h->syscall.set);
	assert_true(h->syscall.v); /* CRD default: syscall: true */
	assert_true(tp_hook_is_syscall(h));
	assert_int_equal(h->call.loc.line, 7);
	assert_int_equal(h->call.loc.col, 11);
	assert_int_equal(h->args.v[0].type.v, TP_TYPE_INT);
	assert_int_equal(h->args.v[0].type.s.loc.line, 10);
	s = &h->selectors.v[0];
	assert_int_equal(s->match_capabilities.v[0].set.v, TP_CAPSET_EFFECTIVE);
	assert_null(s->match_capabilities.v[0].set.s.s); /* defaulted, not written */
	assert_int_equal(s->match_capabilities.v[0].mask, (1ULL << 21) | (1ULL << 13));
	assert_int_equal(s->match_actions.v[0].action.v, TP_ACT_POST);
	assert_int_equal(s->match_actions.v[0].rate_limit_scope.v, TP_RLS_THREAD);
	assert_int_equal(s->match_actions.v[0].rate_limit_ms, 120000);
	assert_int_equal(s->match_actions.v[0].params, AP_RATELIMIT);
	done(&d);

	read_policy(&d, HEAD "  tracepoints:\n"
			     "  - subsystem: \"raw_syscalls\"\n"
			     "    event: \"sys_enter\"\n"
			     "    args:\n"
			     "    - index: 4\n");
	assert_int_equal(diag_errors(d.dc), 0);
	h = &d.p[0].hooks.v[0];
	assert_int_equal(h->args.v[0].type.v, TP_TYPE_AUTO);
	assert_false(h->raw.v);
	assert_false(tp_hook_is_syscall(h));
	done(&d);
}

static void test_selector_values(void **state)
{
	struct doc d;
	const struct tp_hook *h;
	const struct tp_argsel *as;

	(void)state;
	read_policy(&d, HEAD "  kprobes:\n"
			     "  - call: \"tcp_connect\"\n"
			     "    syscall: false\n"
			     "    args:\n"
			     "    - index: 0\n"
			     "      type: \"sock\"\n"
			     "    - index: 3\n"
			     "      type: \"uint32\"\n"
			     "    selectors:\n"
			     "    - matchArgs:\n"
			     "      - index: 0\n"
			     "        operator: \"DAddr\"\n"
			     "        values: [\"10.0.0.0/8\", \"::1\"]\n"
			     "      - index: 0\n"
			     "        operator: \"DPort\"\n"
			     "        values: [\"443\", \"8000:8080\"]\n"
			     "      - index: 3\n"
			     "        operator: \"Equal\"\n"
			     "        values: [\"0x10\", \"4294967295\"]\n"
			     "      - index: 0\n"
			     "        operator: \"Protocol\"\n"
			     "        values: [\"IPPROTO_UDP\"]\n");
	assert_int_equal(diag_errors(d.dc), 0);
	h = &d.p[0].hooks.v[0];
	as = h->selectors.v[0].match_args.v;
	assert_ptr_equal(as[0].arg, &h->args.v[0]);
	assert_int_equal(as[0].op.v, TP_OP_DADDR);
	assert_true(as[0].parsed[0].ok);
	assert_int_equal(as[0].parsed[0].addr.family, 4);
	assert_int_equal(as[0].parsed[0].addr.prefix, 8);
	assert_int_equal(as[0].parsed[1].addr.family, 6);
	assert_int_equal(as[0].parsed[1].addr.addr[15], 1);
	assert_int_equal(as[1].parsed[1].range.lo, 8000);
	assert_int_equal(as[1].parsed[1].range.hi, 8080);
	assert_ptr_equal(as[2].arg, &h->args.v[1]); /* index 3 is args[1] */
	assert_int_equal(as[2].parsed[0].num, 16);
	assert_int_equal(as[2].parsed[1].num, 4294967295u);
	assert_int_equal(as[3].parsed[0].range.lo, 17);
	assert_int_equal(as[2].values.v[1].loc.line, 24);
	done(&d);
}

static void test_macros_lists(void **state)
{
	struct doc d;
	const struct tp_policy *p;
	const struct tp_selector *s;

	(void)state;
	read_policy(&d, HEAD "  lists:\n"
			     "  - name: \"dups\"\n"
			     "    type: \"syscalls\"\n"
			     "    values: [\"sys_dup\", \"sys_dup2\"]\n"
			     "  selectorsMacros:\n"
			     "    sh:\n"
			     "      label: \"shell\"\n"
			     "      matchBinaries:\n"
			     "      - operator: In\n"
			     "        values: [\"/bin/sh\"]\n"
			     "    dup:\n"
			     "      matchArgs:\n"
			     "      - index: 4\n"
			     "        operator: InMap\n"
			     "        values: [\"list:dups\"]\n"
			     "  enforcers:\n"
			     "  - calls: [\"list:dups\"]\n"
			     "  tracepoints:\n"
			     "  - subsystem: \"raw_syscalls\"\n"
			     "    event: \"sys_enter\"\n"
			     "    args:\n"
			     "    - index: 4\n"
			     "      type: \"syscall64\"\n"
			     "    selectors:\n"
			     "    - macros: [\"sh\", \"dup\"]\n"
			     "      matchActions:\n"
			     "      - action: NotifyEnforcer\n"
			     "        argError: -1\n");
	if (diag_errors(d.dc) || diag_warnings(d.dc))
		fail_msg("unexpected diagnostics:\n%s", d.text);
	p = &d.p[0];
	s = &p->hooks.v[0].selectors.v[0];
	assert_int_equal(s->match_binaries.n, 1);
	assert_string_equal(s->match_binaries.v[0].values.v[0].s, "/bin/sh");
	assert_string_equal(s->label.s, "shell"); /* inherited from the macro */
	assert_int_equal(s->match_args.n, 1);
	/* the expanded entry is the selector's own copy, bound to this hook's argument */
	assert_ptr_not_equal(s->match_args.v, p->macros.v[1].sel.match_args.v);
	assert_ptr_equal(s->match_args.v[0].arg, &p->hooks.v[0].args.v[0]);
	assert_true(s->match_args.v[0].parsed[0].is_list);
	assert_ptr_equal(s->match_args.v[0].parsed[0].list, &p->lists.v[0]);
	assert_ptr_equal(tp_find_list(p, "dups"), &p->lists.v[0]);
	assert_ptr_equal(p->enforcers.v[0].call_lists[0], &p->lists.v[0]);
	assert_null(tp_find_list(p, "nope"));
	assert_int_equal(s->match_actions.v[0].arg_error.v, -1);
	done(&d);
}

static void test_kprobe_list_call(void **state)
{
	struct doc d;
	const struct tp_hook *h;

	(void)state;
	read_policy(&d, HEAD "  lists:\n"
			     "  - name: \"fns\"\n"
			     "    values: [\"fd_install\", \"security_file_open\"]\n"
			     "  kprobes:\n"
			     "  - call: \"list:fns\"\n"
			     "    syscall: false\n");
	assert_int_equal(diag_errors(d.dc) + diag_warnings(d.dc), 0);
	h = &d.p[0].hooks.v[0];
	assert_ptr_equal(h->call_list, &d.p[0].lists.v[0]);
	assert_false(tp_hook_is_syscall(h));
	assert_int_equal(d.p[0].lists.v[0].type.v, TP_LIST_PLAIN);
	done(&d);
}

static void test_errors_and_documents(void **state)
{
	struct doc d;

	(void)state;
	read_policy(&d, "---\n" HEAD "  kprobes:\n  - call: \"sys_write\"\n---\n---\n" HEAD
			"  kprobes:\n  - call: \"sys_write\"\n    args:\n    - index: 0\n");
	assert_int_equal(d.n, 2); /* the empty document is skipped */
	assert_true(d.p[0].valid);
	assert_false(d.p[1].valid); /* kprobe args need a type */
	assert_int_equal(diag_errors(d.dc), 1);
	assert_non_null(strstr(d.text, "t.yaml:19:7: error: missing 'type'"));
	done(&d);

	read_policy(&d, "");
	assert_int_equal(d.n, 0);
	assert_int_equal(diag_errors(d.dc), 0);
	done(&d);
}

static void test_error_limit(void **state)
{
	struct doc d;
	struct array buf = {0};
	const char *head = HEAD "  kprobes:\n  - call: \"sys_write\"\n";
	char line[64];

	(void)state;
	memcpy(array_add(&buf, strlen(head)), head, strlen(head));
	for (int i = 0; i < 1500; i++) {
		int n = snprintf(line, sizeof(line), "    unknown%d: 1\n", i);

		memcpy(array_add(&buf, (size_t)n), line, (size_t)n);
	}
	*(char *)array_add(&buf, 1) = 0;
	read_policy(&d, buf.val);
	/* the reader stops after YP_MAX_ERRORS (1000) and says so */
	assert_int_equal(diag_errors(d.dc), 1001);
	assert_non_null(strstr(d.text, "too many problems (1000) in this document"));
	assert_false(d.p[0].valid);
	done(&d);
	array_free(&buf);
}

static void test_vocabularies(void **state)
{
	(void)state;
	assert_int_equal(tp_vocab_find(tp_op_names, "NotSportPriv"), TP_OP_NOTSPORTPRIV);
	assert_int_equal(tp_vocab_find(tp_op_names, "NotSPortPriv"), -1);
	assert_int_equal(tp_ops[TP_OP_GREATERTHAN].canon, TP_OP_GT);
	assert_true(tp_ops[TP_OP_NOTEQUAL].neg);
	assert_int_equal(tp_ops[TP_OP_SPORTPRIV].maxv, 0);
	assert_true(tp_ops[TP_OP_FILETYPE].groups & TGB(FILEPATH));
	assert_false(tp_ops[TP_OP_FILETYPE].groups & TGB(STR));
	assert_int_equal(tp_types[TP_TYPE_SINT32].canon, TP_TYPE_INT32);
	assert_int_equal(tp_types[TP_TYPE_ULONG].bits, 64);
	assert_false(tp_types[TP_TYPE_UNSIGNED_LONG].crd);
	assert_string_equal(tp_types[TP_TYPE_SOCKET].event, "sock_arg");
	assert_string_equal(tp_hooks[TP_HOOK_LSM].section, "lsmhooks");
	assert_string_equal(tp_hooks[TP_HOOK_USDT].event, "process_usdt");
	assert_true(tp_hooks[TP_HOOK_UPROBE].flags & HF_RETURN);
	assert_false(tp_hooks[TP_HOOK_UPROBE].flags & HF_NAMESPACED);
	assert_int_equal(tp_actions[TP_ACT_SIGKILL].support[TP_HOOK_FENTRY], AS_ERR);
	assert_int_equal(tp_actions[TP_ACT_SET].support[TP_HOOK_USDT], AS_OK);
	assert_true(tp_actions[TP_ACT_OVERRIDE].enforce);
	assert_int_equal(tp_vocab_find(tp_namespace_names, "PidForChildren"), TP_NS_PIDFORCHILDREN);
	assert_int_equal(tp_vocab_find(tp_list_type_names, ""), TP_LIST_PLAIN);
	assert_int_equal(tp_options[TP_OPT_POLICY_MODE].values, OV_CHOICE);
	/* every name table is NULL-terminated at its count */
	assert_null(tp_type_names[TP_TYPE__COUNT]);
	assert_null(tp_op_names[TP_OP__COUNT]);
	assert_null(tp_action_names[TP_ACT__COUNT]);
	for (int i = 0; i < TP_TYPE__COUNT; i++)
		assert_non_null(tp_type_names[i]);
	for (int i = 0; i < TP_OP__COUNT; i++)
		assert_int_equal(tp_vocab_find(tp_op_names, tp_ops[i].name), i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_selector_values),
	    cmocka_unit_test(test_macros_lists),
	    cmocka_unit_test(test_kprobe_list_call),
	    cmocka_unit_test(test_errors_and_documents),
	    cmocka_unit_test(test_error_limit),
	    cmocka_unit_test(test_vocabularies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
