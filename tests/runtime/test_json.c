// SPDX-License-Identifier: Apache-2.0
/*
 * test_json.c — unit tests of runtime/json.c: protojson-compatible escaping,
 * UTF-8 pass-through and repair, numbers, nesting and commas, RFC 3339
 * timestamps with protojson's fraction trimming, base64.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

/* The writer's content as a NUL-terminated string (test helper). */
static const char *text(struct jw *w)
{
	*jw_reserve(w, 1) = '\0';
	return w->buf;
}

static const char *esc(struct jw *w, const char *s, size_t n)
{
	jw_reset(w);
	jw_str(w, NULL, s, n);
	return text(w);
}

#define ESC(w, lit) esc(w, lit, sizeof(lit) - 1)

static void test_escaping(void **state)
{
	struct jw w;

	(void)state;
	jw_init(&w, 16);
	assert_string_equal(ESC(&w, "plain"), "\"plain\"");
	assert_string_equal(ESC(&w, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(ESC(&w, "\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
	assert_string_equal(ESC(&w, "\x01\x1f\x7f"), "\"\\u0001\\u001f\x7f\"");
	/* protojson leaves <, >, & and '/' alone */
	assert_string_equal(ESC(&w, "<a href='/x'>&amp;</a>"), "\"<a href='/x'>&amp;</a>\"");
	/* embedded NUL */
	assert_string_equal(ESC(&w, "a\0b"), "\"a\\u0000b\"");
	assert_string_equal(ESC(&w, ""), "\"\"");
	jw_free(&w);
}

static void test_utf8(void **state)
{
	struct jw w;

	(void)state;
	jw_init(&w, 16);
	/* valid multi-byte sequences are written raw */
	assert_string_equal(ESC(&w, "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x9a\x80"),
			    "\"h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x9a\x80\"");
	/* one U+FFFD per run of invalid bytes (Go strings.ToValidUTF8) */
	assert_string_equal(ESC(&w, "a\xff\xfe" "b"), "\"a\xef\xbf\xbd" "b\"");
	assert_string_equal(ESC(&w, "a\xff" "b\xfe"), "\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"");
	/* overlong '/', surrogate, above U+10FFFF, truncated sequence at the end */
	assert_string_equal(ESC(&w, "\xc0\xaf"), "\"\xef\xbf\xbd\"");
	assert_string_equal(ESC(&w, "x\xed\xa0\x80y"), "\"x\xef\xbf\xbdy\"");
	assert_string_equal(ESC(&w, "\xf4\x90\x80\x80"), "\"\xef\xbf\xbd\"");
	assert_string_equal(ESC(&w, "ok\xe2\x82"), "\"ok\xef\xbf\xbd\"");
	/* an escape between invalid bytes splits the runs */
	assert_string_equal(ESC(&w, "\xff\n\xff"), "\"\xef\xbf\xbd\\n\xef\xbf\xbd\"");
	assert_int_equal(jw_utf8_valid_len((const unsigned char *)"\xf0\x9f\x9a\x80", 4), 4);
	assert_int_equal(jw_utf8_valid_len((const unsigned char *)"\xf0\x9f\x9a", 3), 0);
	assert_int_equal(jw_utf8_valid_len((const unsigned char *)"\xe0\x80\x80", 3), 0);
	jw_free(&w);
}

static void test_numbers(void **state)
{
	struct jw w;

	(void)state;
	jw_init(&w, 8);
	jw_obj_open(&w, NULL);
	jw_u32(&w, "a", 0);
	jw_u32(&w, "b", 4294967295u);
	jw_s32(&w, "c", -2147483647 - 1);
	jw_s32(&w, "d", 42);
	jw_u64str(&w, "e", 18446744073709551615ull);
	jw_u64str(&w, "f", 0);
	jw_bool(&w, "g", true);
	jw_bool(&w, "h", false);
	jw_obj_close(&w);
	assert_string_equal(text(&w), "{\"a\":0,\"b\":4294967295,\"c\":-2147483648,\"d\":42,"
				      "\"e\":\"18446744073709551615\",\"f\":\"0\",\"g\":true,"
				      "\"h\":false}");
	jw_free(&w);
}

static void test_nesting(void **state)
{
	struct jw w;

	(void)state;
	jw_init(&w, 4); /* tiny: forces the buffer to grow */
	jw_obj_open(&w, NULL);
	jw_obj_open(&w, "process_exec");
	jw_obj_open(&w, "process");
	jw_cstr(&w, "exec_id", "x");
	jw_arr_open(&w, "caps");
	jw_cstr(&w, NULL, "CAP_CHOWN");
	jw_cstr(&w, NULL, "DAC_OVERRIDE");
	jw_arr_close(&w);
	jw_arr_open(&w, "empty");
	jw_arr_close(&w);
	jw_obj_close(&w);
	jw_raw(&w, "parent", "{\"pid\":1}", 9);
	jw_obj_close(&w);
	jw_cstr(&w, "node_name", "n1");
	jw_obj_close(&w);
	jw_newline(&w);
	/* a second line starts without a comma */
	jw_obj_open(&w, NULL);
	jw_u32(&w, "x", 1);
	jw_obj_close(&w);
	jw_newline(&w);
	assert_string_equal(text(&w),
			    "{\"process_exec\":{\"process\":{\"exec_id\":\"x\","
			    "\"caps\":[\"CAP_CHOWN\","
			    "\"DAC_OVERRIDE\"],\"empty\":[]},\"parent\":{\"pid\":1}},"
			    "\"node_name\":\"n1\"}\n{\"x\":1}\n");
	jw_free(&w);
}

static const char *tm(struct jw *w, int64_t s, uint32_t ns)
{
	jw_reset(w);
	jw_time(w, NULL, s, ns);
	return text(w);
}

static void test_time(void **state)
{
	struct jw w;

	(void)state;
	jw_init(&w, 64);
	assert_string_equal(tm(&w, 0, 0), "\"1970-01-01T00:00:00Z\"");
	/* protojson: 9 digits, trimmed to 6 or 3 when the tail is zeros */
	assert_string_equal(tm(&w, 1696629837, 700327580), "\"2023-10-06T22:03:57.700327580Z\"");
	assert_string_equal(tm(&w, 1696629837, 700327000), "\"2023-10-06T22:03:57.700327Z\"");
	assert_string_equal(tm(&w, 1696629837, 700000000), "\"2023-10-06T22:03:57.700Z\"");
	assert_string_equal(tm(&w, 1696629837, 1), "\"2023-10-06T22:03:57.000000001Z\"");
	assert_string_equal(tm(&w, 1709251199, 0), "\"2024-02-29T23:59:59Z\"");
	assert_string_equal(tm(&w, 946598400, 0), "\"1999-12-31T00:00:00Z\"");
	jw_free(&w);
}

static void test_base64(void **state)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "", "" },         { "f", "Zg==" },         { "fo", "Zm8=" },
		{ "foo", "Zm9v" },  { "foob", "Zm9vYg==" },  { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = jw_base64(buf, v[i].in, strlen(v[i].in));

		buf[n] = '\0';
		assert_string_equal(buf, v[i].out);
	}
	/* bytes >= 0x80 and the last two alphabet characters */
	assert_int_equal(jw_base64(buf, "\xfb\xff", 2), 4);
	buf[4] = '\0';
	assert_string_equal(buf, "+/8=");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping), cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_numbers),  cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_time),     cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
