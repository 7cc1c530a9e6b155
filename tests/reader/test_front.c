// SPDX-License-Identifier: Apache-2.0
/*
 * test_front.c — unit tests of the front end's building blocks the reader
 * relies on: diag_suggest()/diag_edit_distance() (did-you-mean) and the YAML
 * node tree (ynode_parse: aliases, empty and multiple documents, the nesting
 * and alias-expansion limits, scalar helpers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "util.h"
#include "ynode.h"

/* ---- did-you-mean ----------------------------------------------------------- */

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(diag_edit_distance("", ""), 0);
	assert_int_equal(diag_edit_distance("abc", "abc"), 0);
	assert_int_equal(diag_edit_distance("", "abc"), 3);
	assert_int_equal(diag_edit_distance("Equals", "Equal"), 1);
	assert_int_equal(diag_edit_distance("kitten", "sitting"), 3);
	/* a transposition counts once (optimal string alignment) */
	assert_int_equal(diag_edit_distance("slectors", "selectors"), 1);
	assert_int_equal(diag_edit_distance("ca", "ac"), 1);
}

static void test_suggest(void **state)
{
	static const char *const ops[] = {"Equal", "NotEqual", "Prefix", "Postfix", "GT", NULL};
	static const char *const keys[] = {"call", "syscall", "selectors", "args", NULL};

	(void)state;
	assert_string_equal(diag_suggest("Equals", ops), "Equal");
	assert_string_equal(diag_suggest("equal", ops), "Equal"); /* case-insensitive hit */
	assert_string_equal(diag_suggest("Prefx", ops), "Prefix");
	assert_string_equal(diag_suggest("selector", keys), "selectors");
	assert_string_equal(diag_suggest("sycall", keys), "syscall");
	assert_null(diag_suggest("frobnicate", keys));
	assert_null(diag_suggest("", keys));
	/* short words: only distance 1 is plausible */
	assert_null(diag_suggest("xy", keys));
	assert_string_equal(diag_suggest("gt", ops), "GT");
}

static void test_help_suggest(void **state)
{
	static const char *const names[] = {"Sigkill", "Signal", NULL};
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct diag_ctx *dc = diag_new(out, DIAG_FMT_TEXT);

	(void)state;
	diag_error(dc, tc_loc_file("x.yaml"), "unknown action 'Sigkil'");
	assert_true(diag_help_suggest(dc, "Sigkil", names));
	diag_error(dc, tc_loc_file("x.yaml"), "unknown action 'Zap'");
	assert_false(diag_help_suggest(dc, "Zap", names));
	diag_free(dc);
	fclose(out);
	assert_non_null(strstr(buf, "help: did you mean 'Sigkill'?"));
	assert_null(strstr(buf, "'Zap'?"));
	free(buf);
}

/* ---- ynode ------------------------------------------------------------------------ */

struct parsed {
	struct arena a;
	struct diag_ctx *dc;
	FILE *out;
	char *text;
	size_t len;
	struct ydoc *docs;
	size_t n;
};

static void parse(struct parsed *p, const char *yaml)
{
	memset(p, 0, sizeof(*p));
	p->out = open_memstream(&p->text, &p->len);
	p->dc = diag_new(p->out, DIAG_FMT_TEXT);
	p->n = ynode_parse(&p->a, p->dc, "t.yaml", yaml, strlen(yaml), &p->docs);
	diag_flush(p->dc);
	fflush(p->out);
}

static void done(struct parsed *p)
{
	diag_free(p->dc);
	fclose(p->out);
	free(p->text);
	arena_free(&p->a);
}

static void test_ynode_locations(void **state)
{
	struct parsed p;
	const struct ynode *root, *v;

	(void)state;
	parse(&p, "kind: TracingPolicy\nspec:\n  kprobes:\n  - call: \"sys_write\"\n");
	assert_int_equal(diag_errors(p.dc), 0);
	assert_int_equal(p.n, 1);
	root = p.docs[0].root;
	assert_int_equal(root->kind, YNODE_MAP);
	v = ynode_get(ynode_get(root, "spec"), "kprobes");
	assert_non_null(v);
	assert_int_equal(v->kind, YNODE_SEQ);
	v = ynode_get(v->seq.items[0], "call");
	assert_string_equal(v->scalar.str, "sys_write");
	assert_int_equal(v->scalar.style, YSCALAR_QUOTED);
	assert_int_equal(v->loc.line, 4);
	assert_int_equal(v->loc.col, 11);
	assert_string_equal(v->loc.file, "t.yaml");
	done(&p);
}

static void test_ynode_aliases(void **state)
{
	struct parsed p;
	const struct ynode *root;

	(void)state;
	parse(&p, "a: &x {b: 1}\nc: *x\nd: &y [1, 2]\ne: *y\n");
	assert_int_equal(diag_errors(p.dc), 0);
	root = p.docs[0].root;
	/* an alias is the anchored node itself, shared */
	assert_ptr_equal(ynode_get(root, "a"), ynode_get(root, "c"));
	assert_ptr_equal(ynode_get(root, "d"), ynode_get(root, "e"));
	done(&p);

	parse(&p, "a: *nope\n");
	assert_int_equal(diag_errors(p.dc), 1);
	assert_non_null(strstr(p.text, "'*nope' has no anchor"));
	assert_int_equal(p.n, 0);
	done(&p);

	/* anchors do not leak from one document to the next */
	parse(&p, "a: &x 1\n---\nb: *x\n");
	assert_int_equal(diag_errors(p.dc), 1);
	assert_int_equal(p.n, 1);
	done(&p);
}

static void test_ynode_documents(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "");
	assert_int_equal(diag_errors(p.dc), 0);
	assert_int_equal(p.n, 0);
	done(&p);

	parse(&p, "# only a comment\n");
	assert_int_equal(diag_errors(p.dc), 0);
	assert_int_equal(p.n, 0);
	done(&p);

	parse(&p, "---\n---\n");
	assert_int_equal(diag_errors(p.dc), 0);
	assert_int_equal(p.n, 2);
	/* an explicit empty document holds one null scalar */
	assert_true(ynode_is_null(p.docs[0].root));
	assert_true(ynode_is_null(p.docs[1].root));
	done(&p);

	parse(&p, "a: 1\n---\nb: 2\n---\nc: 3\n");
	assert_int_equal(p.n, 3);
	assert_non_null(ynode_get(p.docs[1].root, "b"));
	assert_int_equal(ynode_get(p.docs[2].root, "c")->loc.line, 5);
	done(&p);

	/* a syntax error in the second document keeps the first */
	parse(&p, "a: 1\n---\nb: [\n");
	assert_int_equal(p.n, 1);
	assert_int_equal(diag_errors(p.dc), 1);
	assert_non_null(strstr(p.text, "t.yaml:4:1: error: YAML syntax error"));
	done(&p);
}

static void test_ynode_limits(void **state)
{
	struct parsed p;
	struct array buf = {0};
	const char *laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
			     "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			     "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
			     "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";

	(void)state;
	for (int i = 0; i < 200; i++)
		*(char *)array_add(&buf, 1) = '[';
	*(char *)array_add(&buf, 1) = 0;
	parse(&p, buf.val);
	assert_int_equal(diag_errors(p.dc), 1);
	assert_non_null(strstr(p.text, "nesting deeper than 128 levels"));
	assert_int_equal(p.n, 0);
	done(&p);
	array_free(&buf);

	parse(&p, laughs);
	assert_int_equal(diag_errors(p.dc), 1);
	assert_non_null(strstr(p.text, "document too large"));
	done(&p);
}

static void test_ynode_scalars(void **state)
{
	struct parsed p;
	const struct ynode *root;
	long long v;
	bool b;

	(void)state;
	parse(&p, "i: 0x1f\nj: -12\nq: \"5\"\nt: true\nf: False\nn: ~\ne:\ns: hello\n"
		  "big: 99999999999999999999\n");
	root = p.docs[0].root;
	assert_true(ynode_int(ynode_get(root, "i"), &v));
	assert_int_equal(v, 31);
	assert_true(ynode_int(ynode_get(root, "j"), &v));
	assert_int_equal(v, -12);
	assert_false(ynode_int(ynode_get(root, "q"), &v)); /* quoted: a string */
	assert_false(ynode_int(ynode_get(root, "big"), &v));
	assert_true(ynode_bool(ynode_get(root, "t"), &b) && b);
	assert_true(ynode_bool(ynode_get(root, "f"), &b) && !b);
	assert_true(ynode_is_null(ynode_get(root, "n")));
	assert_true(ynode_is_null(ynode_get(root, "e")));
	assert_false(ynode_is_null(ynode_get(root, "s")));
	assert_string_equal(ynode_kind_name(ynode_get(root, "q")), "a string");
	assert_string_equal(ynode_kind_name(root), "a mapping");
	assert_null(ynode_get(root, "missing"));
	assert_null(ynode_get(ynode_get(root, "s"), "x"));
	done(&p);
}

static void test_ynode_bad_bytes(void **state)
{
	struct parsed p;
	static const char bad[] = "a: \xff\xfe\x80\n";

	(void)state;
	parse(&p, bad);
	assert_int_equal(diag_errors(p.dc), 1);
	assert_non_null(strstr(p.text, "invalid YAML input"));
	done(&p);

	parse(&p, "a: b\tc: [\x01]\n");
	assert_true(diag_errors(p.dc) >= 1);
	done(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_edit_distance),   cmocka_unit_test(test_suggest),
	    cmocka_unit_test(test_help_suggest),    cmocka_unit_test(test_ynode_locations),
	    cmocka_unit_test(test_ynode_aliases),   cmocka_unit_test(test_ynode_documents),
	    cmocka_unit_test(test_ynode_limits),    cmocka_unit_test(test_ynode_scalars),
	    cmocka_unit_test(test_ynode_bad_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
