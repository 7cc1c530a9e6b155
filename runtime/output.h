/* SPDX-License-Identifier: Apache-2.0 */
/*
 * output.h — where exported lines go: stdout or a file (--export-filename).
 * File rotation (Tetragon's --export-file-max-size-mb ...) is not done yet.
 */
#ifndef TETRALOAD_OUTPUT_H
#define TETRALOAD_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct output {
	int fd;
	int owned;          /* fd was opened by output__open() */
	uint64_t bytes;     /* written */
	uint64_t errors;    /* failed writes (bytes dropped) */
	int last_err;       /* -errno of the last failed write, 0 if none */
	int is_pipe;        /* fd is a pipe or a socket: its reader can go away */
};

/**
 * @brief **output__open()** opens `path` for appending (created 0600, as
 * Tetragon's default --export-file-perm), or stdout when path is NULL/"-".
 * @return 0 or -errno
 */
int output__open(struct output *o, const char *path);
/** @brief **output__write()** writes all of buf (retrying short writes). @return 0 or -errno */
int output__write(void *o, const char *buf, size_t n);
void output__close(struct output *o);

/**
 * @brief **output__reader_gone()** tells whether the reader of a pipe or
 * socket output has gone away (without writing to it).
 */
int output__reader_gone(const struct output *o);

#endif /* TETRALOAD_OUTPUT_H */
