// SPDX-License-Identifier: Apache-2.0
/*
 * test_output.c — runtime/output.c and config.c: export file rotation at
 * line boundaries (sizes, names, content preserved in order, backups
 * pruned oldest first, a line longer than the limit, gzip'ed backups that
 * zlib reads back), --export-file-perm, lumberjack's backup names; option
 * files from a ConfigMap-style directory and a YAML file, and their errors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "config.h"
#include "output.h"

static char g_dir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof(g_dir), "/tmp/tl-test-output.XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files in g_dir starting with prefix, sorted. */
static size_t list(const char *prefix, char names[][256], size_t max)
{
	DIR *d = opendir(g_dir);
	struct dirent *de;
	char *v[64];
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) && n < max && n < 64)
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			v[n++] = strdup(de->d_name);
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], 256, "%s", v[i]);
		free(v[i]);
	}
	return n;
}

static size_t slurp(const char *name, char *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void test_rotation(void **state)
{
	struct output_opts oo = { .max_size = 100, .max_backups = 2, .perm = 0640 };
	struct output o;
	char path[300], names[16][256], buf[4096], all[8192];
	size_t n, total = 0;
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/ev.log", g_dir);
	assert_int_equal(output__open(&o, path, &oo), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	/* 10 lines of 30 bytes in one batch: 3 lines (90 bytes) per file */
	for (int i = 0; i < 10; i++)
		total += (size_t)snprintf(all + total, sizeof(all) - total, "line %02d %21s\n", i,
					  "xxxxxxxxxxxxxxxxxxxx");
	assert_int_equal(total, 300);
	assert_int_equal(output__write(&o, all, total), 0);
	usleep(2000);
	assert_int_equal(output__write(&o, "tail\n", 5), 0);
	assert_true(o.rotations >= 3);
	output__close(&o);

	/* two backups kept, each a whole number of lines, at most 100 bytes */
	n = list("ev-", names, 16);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		size_t l = slurp(names[i], buf, sizeof(buf));

		assert_true(l <= 100 && l > 0);
		assert_int_equal(buf[l - 1], '\n');
		/* ev-YYYY-MM-DDTHH-MM-SS.mmm.log */
		assert_int_equal(strlen(names[i]), strlen("ev-2026-11-29T10-00-00.000.log"));
		assert_int_equal(names[i][13], 'T');
		assert_string_equal(names[i] + strlen(names[i]) - 4, ".log");
	}
	/* the newest backup ends where the current file begins */
	{
		size_t l = slurp(names[1], buf, sizeof(buf));
		size_t cl = slurp("ev.log", buf + l, sizeof(buf) - l);

		buf[l + cl] = '\0';
		assert_non_null(strstr(buf, "line 09"));
		assert_non_null(strstr(buf, "line 08"));
		assert_string_equal(buf + l + cl - 5, "tail\n");
	}

	/* a single line longer than the limit goes to a fresh file */
	snprintf(path, sizeof(path), "%s/big.json", g_dir);
	oo.max_backups = 0;
	assert_int_equal(output__open(&o, path, &oo), 0);
	memset(buf, 'a', 300);
	buf[299] = '\n';
	assert_int_equal(output__write(&o, "small\n", 6), 0);
	assert_int_equal(output__write(&o, buf, 300), 0);
	output__close(&o);
	assert_int_equal(slurp("big.json", buf, sizeof(buf)), 300);
	n = list("big-", names, 16);
	assert_int_equal(n, 1);
	assert_int_equal(slurp(names[0], buf, sizeof(buf)), 6);
}

static void test_compress(void **state)
{
	struct output_opts oo = { .max_size = 20, .max_backups = 0, .compress = true };
	struct output o;
	char path[300], names[16][256], buf[256];
	gzFile gz;
	int n;

	(void)state;
	snprintf(path, sizeof(path), "%s/gz.log", g_dir);
	assert_int_equal(output__open(&o, path, &oo), 0);
	assert_int_equal(output__write(&o, "0123456789abcdef\n", 17), 0);
	assert_int_equal(output__write(&o, "second line\n", 12), 0);
	output__close(&o);
	/* the gzip thread is detached: wait for it */
	for (int i = 0; i < 200 && list("gz-", names, 16) != 1; i++)
		usleep(10000);
	for (int i = 0; i < 200; i++) {
		if (list("gz-", names, 16) == 1 && strstr(names[0], ".log.gz"))
			break;
		usleep(10000);
	}
	assert_int_equal(list("gz-", names, 16), 1);
	assert_non_null(strstr(names[0], ".log.gz"));
	snprintf(path, sizeof(path), "%s/%s", g_dir, names[0]);
	gz = gzopen(path, "rb");
	assert_non_null(gz);
	n = gzread(gz, buf, sizeof(buf));
	gzclose(gz);
	assert_int_equal(n, 17);
	assert_memory_equal(buf, "0123456789abcdef\n", 17);
}

static void test_perm_and_names(void **state)
{
	unsigned p;
	char name[300];

	(void)state;
	assert_int_equal(output_parse_perm("600", &p), 0);
	assert_int_equal(p, 0600);
	assert_int_equal(output_parse_perm("777", &p), 0);
	assert_int_equal(p, 0664); /* 0113 cleared */
	assert_int_equal(output_parse_perm("0", &p), 0);
	assert_int_equal(p, 0600); /* 0600 always added */
	assert_int_equal(output_parse_perm("9", &p), -EINVAL);
	assert_int_equal(output_parse_perm("", &p), -EINVAL);
	output_backup_name(name, sizeof(name), "/var/log/tetragon/tetragon.log", 1787306400,
			   5000000);
	assert_string_equal(name, "/var/log/tetragon/tetragon-2026-08-21T10-00-00.005.log");
	output_backup_name(name, sizeof(name), "events", 0, 0);
	assert_string_equal(name, "events-1970-01-01T00-00-00.000");
	{
		struct output o;

		assert_int_equal(output__open(&o, g_dir, NULL), -EISDIR);
	}
}

/* ---- config ------------------------------------------------------------------------ */

static void write_file(const char *name, const char *content)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void test_config(void **state)
{
	struct cfg c = { 0 };
	char err[512], dir[300], yml[300];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/conf.d", g_dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	write_file("conf.d/export-rate-limit", "100\n");
	write_file("conf.d/export-allowlist", "{\"pid\":[1]}\n{\"pid\":[2]}\n\n");
	write_file("conf.d/..2026_data", "ignored");
	assert_int_equal(config_read_dir(dir, &c, err, sizeof(err)), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.v[0].name, "export-allowlist");
	assert_string_equal(c.v[0].value, "{\"pid\":[1]}\n{\"pid\":[2]}");
	assert_string_equal(c.v[1].value, "100");
	config_free(&c);

	snprintf(yml, sizeof(yml), "%s/t.yaml", g_dir);
	write_file("t.yaml", "# tetraload\nenforce: false\nmetrics-label-filter:\n  - binary\n"
			     "  - pod\nexport-filename: /var/log/t.log\n");
	assert_int_equal(config_read_yaml(yml, &c, err, sizeof(err)), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.v[0].name, "enforce");
	assert_string_equal(c.v[0].value, "false");
	assert_string_equal(c.v[1].value, "binary,pod");
	assert_string_equal(c.v[2].value, "/var/log/t.log");
	assert_non_null(strstr(c.v[2].origin, "t.yaml:6"));
	config_free(&c);

	write_file("t.yaml", "a: {b: c}\n");
	assert_int_not_equal(config_read_yaml(yml, &c, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "no nested maps"));
	config_free(&c);
	write_file("t.yaml", "a: [b\n");
	assert_int_not_equal(config_read_yaml(yml, &c, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "t.yaml:"));
	config_free(&c);
	assert_int_equal(config_read_dir("/nonexistent-tl", &c, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "--config-dir /nonexistent-tl"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_compress),
		cmocka_unit_test(test_perm_and_names),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
