// SPDX-License-Identifier: Apache-2.0
/*
 * config.c — option files: a ConfigMap-style directory and a YAML file
 * (libyaml's event parser: a top-level mapping of scalar keys to scalars or
 * lists of scalars).  See config.h.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define CFG_VALUE_MAX (1u << 20)

static int add(struct cfg *c, const char *name, const char *value, size_t vlen,
	       const char *origin)
{
	struct cfg_item *nv = realloc(c->v, (c->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	c->v = nv;
	nv[c->n].name = strdup(name);
	nv[c->n].value = strndup(value, vlen);
	nv[c->n].origin = strdup(origin);
	if (!nv[c->n].name || !nv[c->n].value || !nv[c->n].origin) {
		free(nv[c->n].name);
		free(nv[c->n].value);
		free(nv[c->n].origin);
		return -ENOMEM;
	}
	c->n++;
	return 0;
}

void config_free(struct cfg *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].value);
		free(c->v[i].origin);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int config_read_dir(const char *dir, struct cfg *c, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *names[512];
	size_t n = 0;
	int ret = 0;

	if (!d) {
		ret = -errno;
		snprintf(err, errlen, "--config-dir %s: %s", dir, strerror(-ret));
		return ret;
	}
	while ((de = readdir(d)) && n < sizeof(names) / sizeof(names[0]))
		if (de->d_name[0] != '.' && (names[n] = strdup(de->d_name)))
			n++;
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++) {
		char path[4096], *buf = NULL;
		struct stat st;
		ssize_t r;
		size_t len = 0;
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (ret || stat(path, &st) || !S_ISREG(st.st_mode)) {
			free(names[i]);
			continue;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || st.st_size > CFG_VALUE_MAX) {
			ret = fd < 0 ? -errno : -E2BIG;
			snprintf(err, errlen, "--config-dir: %s: %s", path, strerror(-ret));
			if (fd >= 0)
				close(fd);
			free(names[i]);
			continue;
		}
		buf = malloc((size_t)st.st_size + 1);
		while (buf && (r = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
			len += (size_t)r;
		close(fd);
		if (buf) {
			while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
				len--;
			ret = add(c, names[i], buf, len, path);
		} else {
			ret = -ENOMEM;
		}
		free(buf);
		free(names[i]);
	}
	return ret;
}

int config_read_yaml(const char *file, struct cfg *c, char *err, size_t errlen)
{
	yaml_parser_t p;
	yaml_event_t ev;
	FILE *f = fopen(file, "rb");
	char key[256] = "", val[65536], origin[4200];
	size_t vlen = 0;
	int depth = 0, ret = 0;
	bool have_key = false, in_seq = false, done = false;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "--config-file %s: %s", file, strerror(-ret));
		return ret;
	}
	if (!yaml_parser_initialize(&p)) {
		fclose(f);
		return -ENOMEM;
	}
	yaml_parser_set_input_file(&p, f);
	while (!done && !ret) {
		if (!yaml_parser_parse(&p, &ev)) {
			snprintf(err, errlen, "--config-file %s:%zu:%zu: %s", file,
				 p.problem_mark.line + 1, p.problem_mark.column + 1,
				 p.problem ? p.problem : "YAML error");
			ret = -EINVAL;
			break;
		}
		snprintf(origin, sizeof(origin), "%s:%zu", file, ev.start_mark.line + 1);
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
			if (++depth > 1 || have_key) {
				snprintf(err, errlen, "%s: expected option: value (no nested maps)",
					 origin);
				ret = -EINVAL;
			}
			break;
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (!have_key || in_seq) {
				snprintf(err, errlen, "%s: unexpected list", origin);
				ret = -EINVAL;
			}
			in_seq = true;
			vlen = 0;
			break;
		case YAML_SEQUENCE_END_EVENT:
			ret = add(c, key, val, vlen, origin);
			in_seq = have_key = false;
			break;
		case YAML_SCALAR_EVENT: {
			const char *s = (const char *)ev.data.scalar.value;
			size_t l = ev.data.scalar.length;

			if (depth != 1) {
				snprintf(err, errlen, "%s: expected a mapping of options", origin);
				ret = -EINVAL;
			} else if (!have_key) {
				snprintf(key, sizeof(key), "%.*s", (int)l, s);
				have_key = true;
			} else if (in_seq) {
				if (vlen + l + 2 > sizeof(val)) {
					ret = -E2BIG;
					snprintf(err, errlen, "%s: value too long", origin);
					break;
				}
				if (vlen)
					val[vlen++] = ',';
				memcpy(val + vlen, s, l);
				vlen += l;
			} else {
				ret = add(c, key, s, l, origin);
				have_key = false;
			}
			break;
		}
		case YAML_ALIAS_EVENT:
			snprintf(err, errlen, "%s: aliases are not supported", origin);
			ret = -EINVAL;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	fclose(f);
	return ret;
}
