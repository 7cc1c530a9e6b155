// SPDX-License-Identifier: Apache-2.0
/*
 * output.c — the export sink.  Events are batched by events.c (one write(2)
 * per flush of up to ~1 MiB or per poll round), so this layer is a plain
 * write loop; it never blocks the decoder for longer than the write itself.
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_pipe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

int output__open(struct output *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->fd = STDOUT_FILENO;
		o->is_pipe = is_pipe(o->fd);
		return 0;
	}
	o->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (o->fd < 0)
		return -errno;
	o->owned = 1;
	o->is_pipe = is_pipe(o->fd);
	return 0;
}

int output__reader_gone(const struct output *o)
{
	struct pollfd p = { .fd = o->fd, .events = 0 };

	if (o->last_err == -EPIPE)
		return 1;
	if (!o->is_pipe)
		return 0;
	/* the write end of a pipe whose readers are all gone reports POLLERR */
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

int output__write(void *arg, const char *buf, size_t n)
{
	struct output *o = arg;

	while (n) {
		ssize_t r = write(o->fd, buf, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			o->errors++;
			o->last_err = -errno;
			return -errno;
		}
		buf += r;
		n -= r;
		o->bytes += r;
	}
	return 0;
}

void output__close(struct output *o)
{
	if (o->owned && o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	o->owned = 0;
}
