// SPDX-License-Identifier: Apache-2.0
/*
 * output.c — the export sink.  Events are batched by events.c (one write(2)
 * per flush of up to ~1 MiB or per poll round), so this layer is a write
 * loop plus file rotation:
 *
 *   a batch is split at line boundaries so that the current file never
 *   exceeds --export-file-max-size-mb; when the next line would not fit,
 *   the file is renamed to <base>-<UTC time><ext> (lumberjack's name), a
 *   new one is opened, the rotated file is gzip'ed (zlib) by a detached
 *   thread when --export-file-compress is set, and backups beyond
 *   --export-file-max-backups are removed, oldest first.  A single line
 *   larger than the limit is written anyway (to a fresh file).
 */
#include "output.h"

#include "json.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static int is_pipe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

int output_parse_perm(const char *s, unsigned *perm)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno || end == s || *end || v > 07777)
		return -EINVAL;
	*perm = ((unsigned)v & 0777 & ~0113u) | 0600;
	return 0;
}

static int open_file(struct output *o)
{
	struct stat st;
	mode_t perm = o->o.perm ? o->o.perm : 0600;

	o->fd = open(o->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, perm);
	if (o->fd < 0)
		return -errno;
	if (fstat(o->fd, &st) == 0) {
		o->size = (uint64_t)st.st_size;
		if (S_ISREG(st.st_mode) && (st.st_mode & 07777) != perm)
			fchmod(o->fd, perm); /* the umask may have cleared bits */
	}
	o->owned = 1;
	o->is_pipe = is_pipe(o->fd);
	return 0;
}

int output__open(struct output *o, const char *path, const struct output_opts *opts)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	if (opts)
		o->o = *opts;
	if (!path || !strcmp(path, "-")) {
		o->fd = STDOUT_FILENO;
		o->is_pipe = is_pipe(o->fd);
		o->o.max_size = 0;
		return 0;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return -EISDIR;
	o->path = strdup(path);
	if (!o->path)
		return -ENOMEM;
	return open_file(o);
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

void output_backup_name(char *dst, size_t n, const char *path, int64_t sec, uint32_t nsec)
{
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	const char *dot = strrchr(name, '.');
	size_t dirlen = (size_t)(name - path), baselen = dot && dot != name ? (size_t)(dot - name)
									    : strlen(name);
	char t[40];
	size_t tl = jw_fmt_time(t, sec, (nsec / 1000000) * 1000000 + 1);

	/* "2006-01-02T15:04:05.000000001Z" -> "2006-01-02T15-04-05.000" */
	t[13] = '-';
	t[16] = '-';
	if (tl > 23)
		tl = 23;
	t[tl] = '\0';
	snprintf(dst, n, "%.*s%.*s-%s%s", (int)dirlen, path, (int)baselen, name, t,
		 dot && dot != name ? dot : "");
}

int output_gzip_file(const char *src, const char *dst)
{
	char buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC);
	gzFile gz;
	ssize_t r;
	int err = 0;

	if (in < 0)
		return -errno;
	gz = gzopen(dst, "wb");
	if (!gz) {
		close(in);
		return -EIO;
	}
	while ((r = read(in, buf, sizeof(buf))) > 0)
		if (gzwrite(gz, buf, (unsigned)r) != r) {
			err = -EIO;
			break;
		}
	if (r < 0)
		err = -errno;
	if (gzclose(gz) != Z_OK && !err)
		err = -EIO;
	close(in);
	if (!err)
		unlink(src);
	else
		unlink(dst);
	return err;
}

static void *gzip_thread(void *arg)
{
	char *src = arg, dst[4200];

	snprintf(dst, sizeof(dst), "%s.gz", src);
	output_gzip_file(src, dst);
	free(src);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remove rotated files beyond max_backups, oldest (smallest timestamp) first. */
static void prune(struct output *o)
{
	const char *slash = strrchr(o->path, '/'), *name = slash ? slash + 1 : o->path;
	const char *dot = strrchr(name, '.');
	size_t baselen = dot && dot != name ? (size_t)(dot - name) : strlen(name);
	char dir[4096];
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	if (!o->o.max_backups)
		return;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - o->path) : 1,
		 slash ? o->path : ".");
	if (!dir[0])
		snprintf(dir, sizeof(dir), "/");
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		/* <base>-YYYY-MM-DDTHH-MM-SS.mmm<ext>[.gz] */
		if (strncmp(de->d_name, name, baselen) || de->d_name[baselen] != '-' ||
		    strlen(de->d_name) < baselen + 24 || de->d_name[baselen + 11] != 'T')
			continue;
		if (n == cap) {
			char **nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		v[n] = strdup(de->d_name);
		if (v[n])
			n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i + o->o.max_backups < n) {
			char p[8300];

			snprintf(p, sizeof(p), "%s/%s", dir, v[i]);
			unlink(p);
		}
		free(v[i]);
	}
	free(v);
}

static int rotate(struct output *o)
{
	struct timespec ts;
	char name[4200];

	clock_gettime(CLOCK_REALTIME, &ts);
	/* two rotations in one millisecond: take the next free millisecond, never overwrite */
	for (int i = 0; i < 1000; i++) {
		struct stat st;
		char gz[4300];

		output_backup_name(name, sizeof(name), o->path, ts.tv_sec, (uint32_t)ts.tv_nsec);
		snprintf(gz, sizeof(gz), "%s.gz", name);
		if (stat(name, &st) && stat(gz, &st))
			break;
		ts.tv_nsec += 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	}
	close(o->fd);
	o->fd = -1;
	if (rename(o->path, name))
		return -errno;
	o->rotations++;
	if (o->o.compress) {
		pthread_t t;
		pthread_attr_t a;
		char *arg = strdup(name);

		pthread_attr_init(&a);
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		if (!arg || pthread_create(&t, &a, gzip_thread, arg)) {
			char dst[4300];

			free(arg);
			snprintf(dst, sizeof(dst), "%s.gz", name);
			output_gzip_file(name, dst);
		}
		pthread_attr_destroy(&a);
	}
	prune(o);
	return open_file(o);
}

static int write_all(struct output *o, const char *buf, size_t n)
{
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
		n -= (size_t)r;
		o->bytes += (uint64_t)r;
		o->size += (uint64_t)r;
	}
	return 0;
}

int output__write(void *arg, const char *buf, size_t n)
{
	struct output *o = arg;

	if (o->fd < 0)
		return -EBADF;
	if (!o->o.max_size)
		return write_all(o, buf, n);
	while (n) {
		uint64_t room = o->size < o->o.max_size ? o->o.max_size - o->size : 0;
		size_t take = 0;
		int err;

		/* the longest run of whole lines that fits */
		if (n <= room) {
			take = n;
		} else {
			const char *nl = NULL;

			for (const char *p = buf; p < buf + room; p++)
				if (*p == '\n')
					nl = p;
			take = nl ? (size_t)(nl - buf + 1) : 0;
		}
		if (!take) {
			if (o->size) {
				err = rotate(o);
				if (err) {
					o->errors++;
					o->last_err = err;
					return err;
				}
				continue;
			}
			/* one line larger than the limit, into an empty file */
			const char *nl = memchr(buf, '\n', n);

			take = nl ? (size_t)(nl - buf + 1) : n;
		}
		err = write_all(o, buf, take);
		if (err)
			return err;
		buf += take;
		n -= take;
	}
	return 0;
}

void output__close(struct output *o)
{
	if (o->owned && o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	o->owned = 0;
	free(o->path);
	o->path = NULL;
}
