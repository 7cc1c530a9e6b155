/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h — tetraload's options from files, as Tetragon takes its flags:
 *
 *   --config-dir DIR    one file per option, file name = option name (without
 *                       "--"), content = value (trailing newlines trimmed),
 *                       as a Kubernetes ConfigMap volume mounts it; dot files
 *                       (the ConfigMap's ..data links) are ignored;
 *   --config-file FILE  a YAML mapping option-name: value (scalars; a list of
 *                       scalars is joined with commas), read with libyaml.
 *
 * Precedence (later wins): --config-file, then --config-dir, then the command
 * line.  The caller applies the (name, value) pairs in that order.
 */
#ifndef TETRALOAD_CONFIG_H
#define TETRALOAD_CONFIG_H

#include <stddef.h>

struct cfg_item {
	char *name;
	char *value;
	char *origin; /* "DIR/name" or "FILE:line" for messages */
};

struct cfg {
	struct cfg_item *v;
	size_t n;
};

/** @brief **config_read_dir()** appends DIR's options to c. @return 0 or -errno (reason in err) */
int config_read_dir(const char *dir, struct cfg *c, char *err, size_t errlen);
/** @brief **config_read_yaml()** appends FILE's options to c. @return 0 or -errno (reason in err) */
int config_read_yaml(const char *file, struct cfg *c, char *err, size_t errlen);
void config_free(struct cfg *c);

#endif /* TETRALOAD_CONFIG_H */
