// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_explain.c — `tetracc explain OBJ`: what a compiled object is.
 *
 * Reads the object's `.tetracc.meta` (docs/object-format.md) and prints it
 * as text — the policy, its targets, every hook with its attach flavours in
 * preference order, argument layout, selectors and actions, the maps and
 * their compile-time entries (`.tetracc.mapinit`) — or, with --json, the
 * metadata document itself (the exact bytes the object carries).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "codegen.h"
#include "util.h"

static const char explain_usage[] =
	"Usage: tetracc explain [--json] OBJ.bpf.o...\n"
	"\n"
	"Print what an object compiled by 'tetracc compile' contains: the policy and\n"
	"the source's SHA-256, the targets it was checked against, each hook with its\n"
	"attach flavours (in the order the loader tries them), its programs, the layout\n"
	"of its event's arguments, its selectors and actions, and the maps.\n"
	"\n"
	"Options:\n"
	"  --json       print the metadata JSON itself (the .tetracc.meta section)\n"
	"  -h, --help   this help\n"
	"\n"
	"Exit status: 0 printed, 1 not a tetracc object, 2 usage or I/O error.\n";

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || json_object_get_type(v) == json_type_null)
		return NULL;
	return json_object_get_string(v);
}

static long long jint(struct json_object *o, const char *key, long long def)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return def;
	return json_object_get_int64(v);
}

static bool jbool(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static size_t jlen(struct json_object *a)
{
	return a && json_object_get_type(a) == json_type_array ? json_object_array_length(a) : 0;
}

static void print_action(struct json_object *ac)
{
	const char *name = jstr(ac, "action");

	printf("%s", name ? name : "?");
	if (!name)
		return;
	if (!strcmp(name, "Post")) {
		if (jint(ac, "rate_limit_ms", 0))
			printf(" (rateLimit %lld ms, scope %s)", jint(ac, "rate_limit_ms", 0),
			       jstr(ac, "rate_limit_scope") ? jstr(ac, "rate_limit_scope") : "thread");
		if (jbool(ac, "kernel_stack"))
			printf(" +kernel stack");
		if (jbool(ac, "user_stack"))
			printf(" +user stack");
	} else if (!strcmp(name, "Signal") || !strcmp(name, "Sigkill")) {
		printf(" %lld", jint(ac, "arg_sig", 0));
	} else if (!strcmp(name, "Override")) {
		printf(" %lld", jint(ac, "arg_error", 0));
	} else if (!strcmp(name, "NotifyEnforcer")) {
		printf(" error %lld signal %lld", jint(ac, "arg_error", 0), jint(ac, "arg_sig", 0));
	} else if (!strcmp(name, "GetUrl")) {
		printf(" %s", jstr(ac, "arg_url") ? jstr(ac, "arg_url") : "");
	} else if (!strcmp(name, "DnsLookup")) {
		printf(" %s", jstr(ac, "arg_fqdn") ? jstr(ac, "arg_fqdn") : "");
	} else if (!strcmp(name, "TrackSock") || !strcmp(name, "UntrackSock")) {
		printf(" arg %lld", jint(ac, "arg_sock", 0));
	} else if (!strcmp(name, "Set")) {
		printf(" arg %lld = %lld", jint(ac, "arg_index", 0), jint(ac, "arg_value", 0));
	}
}

static void print_arg(struct json_object *a)
{
	long long size = jint(a, "size", -1);
	const char *label = jstr(a, "label");

	printf("%s", jstr(a, "type") ? jstr(a, "type") : "?");
	if (label && *label)
		printf(" \"%s\"", label);
	printf(" (index %lld, %s", jint(a, "index", 0), size < 0 ? "variable" : "");
	if (size >= 0)
		printf("%lld byte%s", size, size == 1 ? "" : "s");
	if (jstr(a, "resolve"))
		printf(", resolve %s", jstr(a, "resolve"));
	if (jstr(a, "source"))
		printf(", source %s", jstr(a, "source"));
	if (jbool(a, "return_copy"))
		printf(", returnCopy");
	printf(")");
}

static void print_hook(struct json_object *h)
{
	const char *kind = jstr(h, "kind");
	struct json_object *att = jget(h, "attach"), *args = jget(h, "args"),
			   *sels = jget(h, "selectors"), *tags = jget(h, "tags"), *ra;

	printf("hook %lld: %s ", jint(h, "id", 0), kind ? kind : "?");
	if (jstr(h, "function_name"))
		printf("%s", jstr(h, "function_name"));
	else if (jstr(h, "tp_event"))
		printf("%s%s%s", jstr(h, "subsys") ? jstr(h, "subsys") : "",
		       jstr(h, "subsys") && *jstr(h, "subsys") ? "/" : "", jstr(h, "tp_event"));
	else if (jstr(h, "provider"))
		printf("%s %s:%s", jstr(h, "path"), jstr(h, "provider"), jstr(h, "name"));
	else if (jstr(h, "path"))
		printf("%s %s", jstr(h, "path"), jstr(h, "symbol") ? jstr(h, "symbol") : "");
	if (jstr(h, "event") && *jstr(h, "event"))
		printf(" -> %s", jstr(h, "event"));
	if (jbool(h, "syscall"))
		printf(" (syscall)");
	if (jbool(h, "return"))
		printf(" (with return probe)");
	printf("\n");
	for (size_t i = 0; i < jlen(att); i++) {
		struct json_object *a = json_object_array_get_idx(att, i);

		printf("  attach %zu: %-14s %s", i + 1, jstr(a, "flavour"), jstr(a, "program"));
		if (jstr(a, "return_program"))
			printf(" + %s %s", jstr(a, "return_flavour"), jstr(a, "return_program"));
		if (jstr(a, "target") && *jstr(a, "target"))
			printf(" on %s", jstr(a, "target"));
		printf("\n");
	}
	for (size_t i = 0; i < jlen(args); i++) {
		printf("  arg %zu: ", i);
		print_arg(json_object_array_get_idx(args, i));
		printf("\n");
	}
	ra = jget(h, "return_arg");
	if (ra && json_object_get_type(ra) == json_type_object) {
		printf("  return: ");
		print_arg(ra);
		printf("\n");
	}
	if (!jlen(sels) && strcmp(kind ? kind : "", "enforcer"))
		printf("  no selectors: every call is posted\n");
	for (size_t i = 0; i < jlen(sels); i++) {
		struct json_object *s = json_object_array_get_idx(sels, i);
		struct json_object *acts = jget(s, "actions"), *racts = jget(s, "return_actions");

		printf("  selector %lld%s%s%s:", jint(s, "index", 0), jstr(s, "label") ? " \"" : "",
		       jstr(s, "label") ? jstr(s, "label") : "", jstr(s, "label") ? "\"" : "");
		for (size_t k = 0; k < jlen(acts); k++) {
			printf("%s", k ? ", " : " ");
			print_action(json_object_array_get_idx(acts, k));
		}
		if (jlen(racts)) {
			printf("; at return:");
			for (size_t k = 0; k < jlen(racts); k++) {
				printf("%s", k ? ", " : " ");
				print_action(json_object_array_get_idx(racts, k));
			}
		}
		printf("\n");
	}
	if (jstr(h, "message") && *jstr(h, "message"))
		printf("  message: %s\n", jstr(h, "message"));
	if (jlen(tags)) {
		printf("  tags:");
		for (size_t i = 0; i < jlen(tags); i++)
			printf(" %s", json_object_get_string(json_object_array_get_idx(tags, i)));
		printf("\n");
	}
}

static int explain_text(const char *path, const struct om_sections *om)
{
	struct json_object *root = json_tokener_parse(om->meta);
	struct json_object *pol, *targets, *maps, *hooks, *aux;

	if (!root || json_object_get_type(root) != json_type_object) {
		fprintf(stderr, "tetracc explain: %s: the metadata is not valid JSON\n", path);
		json_object_put(root);
		return 1;
	}
	if (jint(root, "format", 0) != 1) {
		fprintf(stderr, "tetracc explain: %s: metadata format %lld (this tetracc reads 1)\n",
			path, jint(root, "format", 0));
		json_object_put(root);
		return 1;
	}
	pol = jget(root, "policy");
	printf("%s: policy \"%s\" (%s), mode %s\n", path, jstr(pol, "name") ? jstr(pol, "name") : "",
	       jstr(pol, "kind") ? jstr(pol, "kind") : "", jstr(pol, "mode") ? jstr(pol, "mode") : "");
	printf("  from %s (sha256 %s), %s\n", jstr(pol, "source") ? jstr(pol, "source") : "",
	       jstr(pol, "sha256") ? jstr(pol, "sha256") : "",
	       jstr(root, "generator") ? jstr(root, "generator") : "");
	targets = jget(root, "targets");
	for (size_t i = 0; i < jlen(targets); i++) {
		struct json_object *t = json_object_array_get_idx(targets, i);

		printf("  %s %s (%s, %s)\n", i ? "checked against" : "built for", jstr(t, "name"),
		       jstr(t, "release"), jstr(t, "arch"));
	}
	maps = jget(root, "maps");
	for (size_t i = 0; i < jlen(maps); i++) {
		struct json_object *m = json_object_array_get_idx(maps, i);

		printf("map %s: %s", jstr(m, "name"), jstr(m, "type"));
		if (jint(m, "key_size", -1) >= 0)
			printf(", key %lld bytes, %lld entries (%lld filled at compile time)",
			       jint(m, "key_size", 0), jint(m, "max_entries", 0),
			       jint(m, "init_entries", 0));
		printf("\n");
	}
	if (om->mapinit)
		printf("map entries: %zu bytes in %s\n", om->mapinit_len, OM_MAPINIT_SECTION);
	hooks = jget(root, "hooks");
	for (size_t i = 0; i < jlen(hooks); i++)
		print_hook(json_object_array_get_idx(hooks, i));
	aux = jget(root, "aux");
	for (size_t i = 0; i < jlen(aux); i++) {
		struct json_object *a = json_object_array_get_idx(aux, i);

		printf("helper program %s: %s on %s\n", jstr(a, "program"), jstr(a, "flavour"),
		       jstr(a, "target"));
	}
	json_object_put(root);
	return 0;
}

static int do_explain(int argc, char **argv)
{
	bool json = false;
	char **files = xcalloc((size_t)argc + 1, sizeof(char *));
	int nfiles = 0, rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(explain_usage, stdout);
			free(files);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "tetracc explain: unknown option '%s'\n%s", argv[i],
				explain_usage);
			free(files);
			return 2;
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (!nfiles) {
		fprintf(stderr, "tetracc explain: no object file\n%s", explain_usage);
		free(files);
		return 2;
	}
	for (int i = 0; i < nfiles; i++) {
		size_t len;
		char *buf = read_file(files[i], &len);
		struct om_sections om;
		char err[256];

		if (!buf) {
			fprintf(stderr, "tetracc explain: cannot read '%s': %s\n", files[i],
				strerror(errno));
			rc = 2;
			continue;
		}
		if (om_read(buf, len, &om, err, sizeof(err)) < 0) {
			fprintf(stderr, "tetracc explain: %s: %s\n", files[i], err);
			free(buf);
			if (!rc)
				rc = 1;
			continue;
		}
		if (json) {
			fwrite(om.meta, 1, om.meta_len, stdout);
			putchar('\n');
		} else if (explain_text(files[i], &om) && !rc) {
			rc = 1;
		}
		om_free(&om);
		free(buf);
	}
	free(files);
	return rc;
}

const struct cmd cmd_explain = {
	"explain", do_explain, "print the metadata of a compiled object", explain_usage,
};
