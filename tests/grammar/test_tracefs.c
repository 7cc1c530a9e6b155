// SPDX-License-Identifier: Apache-2.0
/*
 * test_tracefs.c — cmocka unit tests of the tracefs format parser
 * (grammar/tracefs.h) on hand-written format texts: every decoded value of
 * the fields is asserted, and failing inputs are checked through the
 * diagnostic text they produce (written to a memstream).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "tracefs.h"
#include "util.h"

#define COMMON                                                                       \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"       \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"       \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"

#define HEADER(name, id) "name: " name "\nID: " #id "\nformat:\n" COMMON

/* One parse with its arena and a diagnostics context writing to memory. */
struct fixture {
	struct arena a;
	struct diag_ctx *dc;
	FILE *out;
	char *text;
	size_t textlen;
	struct tf_format *f;
};

static struct fixture *parse(const char *src)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	fx->out = open_memstream(&fx->text, &fx->textlen);
	assert_non_null(fx->out);
	fx->dc = diag_new(fx->out, DIAG_FMT_TEXT);
	fx->f = tf_parse(&fx->a, fx->dc, "t/format", src, strlen(src));
	diag_flush(fx->dc);
	fflush(fx->out);
	return fx;
}

static void done(struct fixture *fx)
{
	diag_free(fx->dc);
	fclose(fx->out);
	free(fx->text);
	arena_free(&fx->a);
	free(fx);
}

/* Assert every decoded value of one field. */
static void check_field(const struct tf_field *x, const char *name, const char *type,
			unsigned offset, unsigned size, bool is_signed, unsigned pointer,
			long array_len, bool data_loc, bool common)
{
	assert_non_null(x);
	assert_string_equal(x->name, name);
	assert_string_equal(x->type, type);
	assert_int_equal(x->offset, offset);
	assert_int_equal(x->size, size);
	assert_int_equal(x->is_signed, is_signed);
	assert_int_equal(x->pointer, pointer);
	assert_int_equal(x->array_len, array_len);
	assert_int_equal(x->data_loc, data_loc);
	assert_int_equal(x->common, common);
}

static void check_common(const struct tf_format *f)
{
	assert_int_equal(f->ncommon, 4);
	check_field(&f->fields[0], "common_type", "unsigned short", 0, 2, false, 0, -1, false,
		    true);
	check_field(&f->fields[1], "common_flags", "unsigned char", 2, 1, false, 0, -1, false,
		    true);
	check_field(&f->fields[2], "common_preempt_count", "unsigned char", 3, 1, false, 0, -1,
		    false, true);
	check_field(&f->fields[3], "common_pid", "int", 4, 4, true, 0, -1, false, true);
	assert_string_equal(f->fields[3].decl, "int common_pid");
	assert_int_equal(f->fields[3].loc.line, 7);
	assert_int_equal(f->fields[3].loc.col, 8);
}

static void test_sys_enter_openat(void **state)
{
	const char *src =
		HEADER("sys_enter_openat", 640) "\n"
		"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
		"\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
		"\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
		"\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
		"\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n"
		"\n"
		"print fmt: \"dfd: 0x%08lx, filename: 0x%08lx\", ((unsigned long)(REC->dfd)), "
		"((unsigned long)(REC->filename))\n";
	struct fixture *fx = parse(src);
	const struct tf_format *f = fx->f;
	const struct tf_field *fn;

	(void)state;
	assert_non_null(f);
	assert_string_equal(fx->text ? fx->text : "", "");
	assert_string_equal(f->file, "t/format");
	assert_string_equal(f->name, "sys_enter_openat");
	assert_int_equal(f->id, 640);
	assert_int_equal(f->nfields, 9);
	check_common(f);
	check_field(&f->fields[4], "__syscall_nr", "int", 8, 4, true, 0, -1, false, false);
	check_field(&f->fields[5], "dfd", "int", 16, 8, false, 0, -1, false, false);
	fn = tf_field_by_name(f, "filename");
	assert_ptr_equal(fn, &f->fields[6]);
	check_field(fn, "filename", "const char *", 24, 8, false, 1, -1, false, false);
	assert_string_equal(fn->decl, "const char * filename");
	assert_null(fn->array_expr);
	assert_false(fn->rel_loc);
	assert_int_equal(fn->loc.line, 11);
	assert_int_equal(fn->loc.col, 8);
	check_field(&f->fields[8], "mode", "umode_t", 40, 8, false, 0, -1, false, false);
	assert_string_equal(f->print_fmt, "\"dfd: 0x%08lx, filename: 0x%08lx\", "
					  "((unsigned long)(REC->dfd)), "
					  "((unsigned long)(REC->filename))");
	assert_null(tf_field_by_name(f, "nosuch"));
	assert_null(tf_field_by_name(NULL, "dfd"));
	done(fx);
}

static void test_data_loc(void **state)
{
	struct fixture *fx = parse(HEADER("sched_process_exec", 300) "\n"
				   "\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;"
				   "\tsigned:0;\n"
				   "\tfield:__data_loc cpumask_t mask;\toffset:12;\tsize:4;"
				   "\tsigned:0;\n"
				   "\tfield:__rel_loc u8[] buf;\toffset:16;\tsize:4;\tsigned:0;\n");
	const struct tf_format *f = fx->f;

	(void)state;
	assert_non_null(f);
	assert_int_equal(f->nfields, 7);
	check_field(&f->fields[4], "filename", "char", 8, 4, false, 0, 0, true, false);
	assert_false(f->fields[4].rel_loc);
	assert_null(f->fields[4].array_expr);
	assert_string_equal(f->fields[4].decl, "__data_loc char[] filename");
	check_field(&f->fields[5], "mask", "cpumask_t", 12, 4, false, 0, -1, true, false);
	check_field(&f->fields[6], "buf", "u8", 16, 4, false, 0, 0, false, false);
	assert_true(f->fields[6].rel_loc);
	done(fx);
}

static void test_arrays(void **state)
{
	struct fixture *fx = parse(HEADER("arrays", 7) "\n"
				   "\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
				   "\tfield:char pcomm[TASK_COMM_LEN];\toffset:24;\tsize:16;"
				   "\tsigned:0;\n"
				   "\tfield:unsigned long args[6];\toffset:40;\tsize:48;"
				   "\tsigned:0;\n"
				   "\tfield:u8 saddr[sizeof(struct sockaddr_in6)];\toffset:88;"
				   "\tsize:28;\tsigned:0;\n"
				   "\tfield:u32 w[4 * (1 << 1)];\toffset:116;\tsize:32;"
				   "\tsigned:0;\n"
				   "\tfield:int m[2][3];\toffset:148;\tsize:24;\tsigned:1;\n"
				   "\tfield:struct x *ptrs[MAXP];\toffset:176;\tsize:32;"
				   "\tsigned:0;\n"
				   "\tfield:u32 buf[];\toffset:208;\tsize:0;\tsigned:0;\n");
	const struct tf_format *f = fx->f;

	(void)state;
	assert_non_null(f);
	assert_int_equal(f->nfields, 12);
	check_field(&f->fields[4], "comm", "char", 8, 16, false, 0, 16, false, false);
	assert_null(f->fields[4].array_expr);
	/* a macro length: kept as written, the count follows from the size */
	check_field(&f->fields[5], "pcomm", "char", 24, 16, false, 0, 16, false, false);
	assert_string_equal(f->fields[5].array_expr, "TASK_COMM_LEN");
	check_field(&f->fields[6], "args", "unsigned long", 40, 48, false, 0, 6, false, false);
	check_field(&f->fields[7], "saddr", "u8", 88, 28, false, 0, 28, false, false);
	assert_string_equal(f->fields[7].array_expr, "sizeof(struct sockaddr_in6)");
	/* a constant expression is evaluated */
	check_field(&f->fields[8], "w", "u32", 116, 32, false, 0, 8, false, false);
	assert_string_equal(f->fields[8].array_expr, "4 * (1 << 1)");
	check_field(&f->fields[9], "m", "int", 148, 24, true, 0, 6, false, false);
	assert_string_equal(f->fields[9].array_expr, "[2][3]");
	/* pointer elements: no size inference, the length stays unknown */
	check_field(&f->fields[10], "ptrs", "struct x *", 176, 32, false, 1, 0, false, false);
	assert_string_equal(f->fields[10].array_expr, "MAXP");
	check_field(&f->fields[11], "buf", "u32", 208, 0, false, 0, 0, false, false);
	assert_null(f->fields[11].array_expr);
	done(fx);
}

static void test_pointers_and_structs(void **state)
{
	struct fixture *fx = parse(HEADER("ptrs", 8) "\n"
				   "\tfield:struct foo *p;\toffset:8;\tsize:8;\tsigned:0;\n"
				   "\tfield:const char *const * argv;\toffset:16;\tsize:8;"
				   "\tsigned:0;\n"
				   "\tfield:void __seg_gs * pcpu;\toffset:24;\tsize:8;\tsigned:0;\n"
				   "\tfield:void (*func)(struct work_struct *, int);\toffset:32;"
				   "\tsize:8;\tsigned:0;\n"
				   "\tfield:enum lru_list lru;\toffset:40;\tsize:4;\tsigned:0;\n"
				   "\tfield:unsigned long long v;\toffset:48;\tsize:8;\tsigned:0;\n"
				   "\tfield:signed char sc;\toffset:56;\tsize:1;\tsigned:1;\n"
				   "\tfield:long l;\toffset:64;\tsize:8;\tsigned:1;\n"
				   "\tfield:bool b;\toffset:72;\tsize:1;\tsigned:0;\n");
	const struct tf_format *f = fx->f;

	(void)state;
	assert_non_null(f);
	assert_int_equal(f->nfields, 13);
	check_field(&f->fields[4], "p", "struct foo *", 8, 8, false, 1, -1, false, false);
	check_field(&f->fields[5], "argv", "const char *const *", 16, 8, false, 2, -1, false,
		    false);
	check_field(&f->fields[6], "pcpu", "void __seg_gs *", 24, 8, false, 1, -1, false, false);
	check_field(&f->fields[7], "func", "void (*)(struct work_struct *, int)", 32, 8, false, 1,
		    -1, false, false);
	check_field(&f->fields[8], "lru", "enum lru_list", 40, 4, false, 0, -1, false, false);
	check_field(&f->fields[9], "v", "unsigned long long", 48, 8, false, 0, -1, false, false);
	check_field(&f->fields[10], "sc", "signed char", 56, 1, true, 0, -1, false, false);
	check_field(&f->fields[11], "l", "long", 64, 8, true, 0, -1, false, false);
	check_field(&f->fields[12], "b", "bool", 72, 1, false, 0, -1, false, false);
	done(fx);
}

static void test_no_specific_fields(void **state)
{
	struct fixture *fx = parse(HEADER("sys_enter_sync", 12) "\n"
				   "print fmt: \"\"\n");
	const struct tf_format *f = fx->f;

	(void)state;
	assert_non_null(f);
	assert_int_equal(f->nfields, 4);
	assert_int_equal(f->ncommon, 4);
	check_common(f);
	assert_string_equal(f->print_fmt, "\"\"");
	done(fx);
}

static void test_missing_print_fmt(void **state)
{
	/* no print fmt, no final newline */
	struct fixture *fx = parse("name: x\nID: 3\nformat:\n"
				   "\tfield:int a;\toffset:0;\tsize:4;\tsigned:1;");
	const struct tf_format *f = fx->f;

	(void)state;
	assert_non_null(f);
	assert_null(f->print_fmt);
	assert_int_equal(f->nfields, 1);
	assert_int_equal(f->ncommon, 0);
	check_field(&f->fields[0], "a", "int", 0, 4, true, 0, -1, false, false);
	done(fx);
}

static void test_print_fmt_verbatim(void **state)
{
	/* print fmt runs to the end of the file, line breaks and all */
	struct fixture *fx = parse(HEADER("ext4_fc_stats", 1159) "\n"
				   "print fmt: \"dev %d reasons:\n%s:%u\", { 0, \"XATTR\"}, "
				   "REC->x ? \"a;b\" : \"field:\"\n");
	const struct tf_format *f = fx->f;

	(void)state;
	assert_non_null(f);
	assert_string_equal(f->print_fmt, "\"dev %d reasons:\n%s:%u\", { 0, \"XATTR\"}, "
					  "REC->x ? \"a;b\" : \"field:\"");
	done(fx);
}

static void test_crlf_and_blank_lines(void **state)
{
	struct fixture *fx = parse("name: crlf\r\nID: 9\r\nformat:\r\n\r\n"
				   "\tfield:int a;\toffset:0;\tsize:4;\tsigned:1;\r\n\r\n\r\n"
				   "\tfield:int b;\toffset:4;\tsize:4;\tsigned:1;\r\n");
	const struct tf_format *f = fx->f;

	(void)state;
	assert_non_null(f);
	assert_string_equal(f->name, "crlf");
	assert_int_equal(f->nfields, 2);
	check_field(&f->fields[1], "b", "int", 4, 4, true, 0, -1, false, false);
	done(fx);
}

/* A failing input: NULL result and exactly this first diagnostic line. */
static void expect_error(const char *src, const char *first_line)
{
	struct fixture *fx = parse(src);
	const char *nl;

	assert_null(fx->f);
	assert_true(diag_errors(fx->dc) >= 1);
	assert_non_null(fx->text);
	nl = strchr(fx->text, '\n');
	assert_non_null(nl);
	assert_int_equal((size_t)(nl - fx->text), strlen(first_line));
	assert_memory_equal(fx->text, first_line, strlen(first_line));
	done(fx);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("name: x\nID: 5\nformat:\n\tfield:int a;\tsize:4;\tsigned:1;\n",
		     "t/format:4:15: error: expected 'offset:' after the field declaration, "
		     "got 'size:'");
	expect_error("name: x\nID: 5\nformat:\n\tfield:int a\toffset:0;\tsize:4;\tsigned:1;\n",
		     "t/format:4:14: error: expected ';' after the field declaration, "
		     "got 'offset:'");
	expect_error("name: x\nformat:\n",
		     "t/format:2:1: error: expected 'ID:' after the 'name:' line, got 'format:'");
	expect_error("", "t/format:1:1: error: expected 'name:' at the start of the format "
			 "file, got end of file");
	expect_error("name: x\nID: 5\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\tsigned:3;\n",
		     "t/format:4:40: error: 'signed:' must be 0 or 1");
	expect_error("name: x\nID: 5\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\tsigned:1;\n"
		     "\tfield:long a;\toffset:8;\tsize:8;\tsigned:1;\n",
		     "t/format:5:13: error: duplicate field 'a'");
	expect_error("name: x\nID: 5\nformat:\n\tfield:int a;\toffset:99999999999;\tsize:4;"
		     "\tsigned:1;\n",
		     "t/format:4:22: error: offset out of range");
	expect_error("name: x\nID: 5\nformat:\n\tfield:char\x01 a;\toffset:0;\tsize:4;"
		     "\tsigned:1;\n",
		     "t/format:4:12: error: expected the field name, got '\\x01'");
}

/* Thousands of fields (the name set grows) and a duplicate found at the end. */
static void test_many_fields(void **state)
{
	struct array src = {0};
	char line[128];
	struct fixture *fx;
	int n;

	(void)state;
	n = snprintf(line, sizeof(line), "name: big\nID: 1\nformat:\n");
	memcpy(array_add(&src, (size_t)n), line, (size_t)n);
	for (int i = 0; i < 5000; i++) {
		n = snprintf(line, sizeof(line),
			     "\tfield:int f%d;\toffset:%d;\tsize:4;\tsigned:1;\n", i, 4 * i);
		memcpy(array_add(&src, (size_t)n), line, (size_t)n);
	}
	*(char *)array_add(&src, 1) = 0;
	fx = parse(src.val);
	assert_non_null(fx->f);
	assert_int_equal(fx->f->nfields, 5000);
	check_field(tf_field_by_name(fx->f, "f4999"), "f4999", "int", 4 * 4999, 4, true, 0, -1,
		    false, false);
	done(fx);

	src.len--; /* drop the NUL, add a duplicate of f1234 */
	n = snprintf(line, sizeof(line), "\tfield:long f1234;\toffset:0;\tsize:8;\tsigned:1;\n");
	memcpy(array_add(&src, (size_t)n), line, (size_t)n);
	*(char *)array_add(&src, 1) = 0;
	fx = parse(src.val);
	assert_null(fx->f);
	assert_non_null(strstr(fx->text, "t/format:5004:13: error: duplicate field 'f1234'\n"));
	assert_non_null(strstr(fx->text, "t/format:1238:8: note: 'f1234' was declared here\n"));
	done(fx);
	array_free(&src);
}

/* Nesting deeper than the parser stack: an error, not a crash. */
static void test_deep_nesting(void **state)
{
	struct array src = {0};
	const char *head = "name: x\nID: 1\nformat:\n\tfield:char c[";
	struct fixture *fx;

	(void)state;
	memcpy(array_add(&src, strlen(head)), head, strlen(head));
	memset(array_add(&src, 50000), '(', 50000);
	*(char *)array_add(&src, 1) = 0;
	fx = parse(src.val);
	assert_null(fx->f);
	assert_non_null(strstr(fx->text, "error: declaration nested too deeply"));
	done(fx);
	array_free(&src);
}

static void test_many_parses_one_arena(void **state)
{
	struct arena a = {0};
	struct diag_ctx *dc = diag_new(stderr, DIAG_FMT_TEXT);
	const char *src = HEADER("again", 1);

	(void)state;
	diag_set_quiet(dc, true);
	for (int i = 0; i < 200; i++) {
		struct tf_format *f = tf_parse(&a, dc, "x", src, strlen(src));

		assert_non_null(f);
		assert_int_equal(f->nfields, 4);
		/* a prefix of the text: must fail cleanly, never read past LEN */
		assert_null(tf_parse(&a, dc, "x", src, (size_t)i % 20));
	}
	assert_null(tf_parse(&a, dc, NULL, NULL, 0));
	diag_free(dc);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sys_enter_openat),
		cmocka_unit_test(test_data_loc),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_pointers_and_structs),
		cmocka_unit_test(test_no_specific_fields),
		cmocka_unit_test(test_missing_print_fmt),
		cmocka_unit_test(test_print_fmt_verbatim),
		cmocka_unit_test(test_crlf_and_blank_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_many_fields),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_many_parses_one_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
