/* SPDX-License-Identifier: Apache-2.0 */
/*
 * output.h — where exported lines go: stdout or a file (--export-filename),
 * with Tetragon's (lumberjack's) rotation: --export-file-max-size-mb,
 * --export-file-max-backups, --export-file-compress, --export-file-perm.
 */
#ifndef TETRALOAD_OUTPUT_H
#define TETRALOAD_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct output_opts {
	uint64_t max_size;   /* bytes; 0: never rotate */
	unsigned max_backups; /* rotated files kept; 0: keep all */
	bool compress;       /* gzip rotated files (.gz), in a background thread */
	unsigned perm;       /* file mode (already masked); 0: 0600 */
};

struct output {
	int fd;
	int owned;          /* fd was opened by output__open() */
	uint64_t bytes;     /* written */
	uint64_t errors;    /* failed writes (bytes dropped) */
	uint64_t rotations;
	int last_err;       /* -errno of the last failed write, 0 if none */
	int is_pipe;        /* fd is a pipe or a socket: its reader can go away */
	/* private */
	char *path;
	uint64_t size;      /* bytes in the current file */
	struct output_opts o;
};

/**
 * @brief **output__open()** opens `path` for appending (created with
 * opts->perm, default 0600 as Tetragon's --export-file-perm), or stdout when
 * path is NULL/"-".  opts may be NULL (no rotation).
 * @return 0 or -errno
 */
int output__open(struct output *o, const char *path, const struct output_opts *opts);
/** @brief **output__write()** writes all of buf (whole lines), rotating as needed. @return 0 or -errno */
int output__write(void *o, const char *buf, size_t n);
void output__close(struct output *o);

/**
 * @brief **output__reader_gone()** tells whether the reader of a pipe or
 * socket output has gone away (without writing to it).
 */
int output__reader_gone(const struct output *o);

/**
 * @brief **output_parse_perm()** Tetragon's --export-file-perm: an octal
 * string, masked to 0777, bits 0113 cleared, 0600 always added.
 * @return 0 or -EINVAL
 */
int output_parse_perm(const char *s, unsigned *perm);

/**
 * @brief **output_backup_name()** "<dir>/<base>-<UTC 2006-01-02T15-04-05.000><ext>"
 * for `path` at time sec.nsec (lumberjack's naming).
 */
void output_backup_name(char *dst, size_t n, const char *path, int64_t sec, uint32_t nsec);

/** @brief **output_gzip_file()** compresses src to dst (zlib), then removes src. @return 0 or -errno */
int output_gzip_file(const char *src, const char *dst);

#endif /* TETRALOAD_OUTPUT_H */
