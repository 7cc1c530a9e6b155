// SPDX-License-Identifier: Apache-2.0
/*
 * container.c — container ids from cgroup names, Tetragon's way.
 *
 * Container runtimes name a container's cgroup after its id:
 *   docker (systemd driver)      /system.slice/docker-<64 hex>.scope
 *   docker (cgroupfs driver)     /docker/<64 hex>
 *   containerd (CRI, systemd)    /kubepods.slice/.../cri-containerd-<64 hex>.scope
 *   CRI-O                        /kubepods.slice/.../crio-<64 hex>.scope
 *   kubelet cgroupfs driver      /kubepods/besteffort/pod<uid>/<64 hex>
 * Tetragon does not parse these formats one by one: it takes the last path
 * component, keeps what follows the last ':' and then the last '-', and
 * accepts the result when it is long enough (pkg/sensors/exec/procevents/
 * proc.go, LookupContainerId).  We do the same so `process.docker` matches.
 * Not handled (yet): sysbox's syscont-cgroup-root and podman's walk to the
 * parent directory.
 */
#include "container.h"

#include <string.h>

static const char *last_of(const char *s, size_t n, char c)
{
	const char *p = s + n;

	while (p > s)
		if (*--p == c)
			return p;
	return NULL;
}

size_t container_id(const char *path, size_t n, bool truncated, char *out)
{
	const char *sub, *id, *p, *end;
	size_t sublen, len;

	/* The BPF name may be NUL-padded: stop at the first NUL. */
	p = memchr(path, '\0', n);
	if (p)
		n = p - path;
	end = path + n;
	p = last_of(path, n, '/');
	sub = p ? p + 1 : path;
	sublen = end - sub;
	/* Tetragon: a BPF name that filled its 128-byte buffer was cut. */
	if (truncated && sublen < 127)
		truncated = false;
	p = last_of(sub, sublen, ':');
	id = p ? p + 1 : sub;
	p = last_of(id, end - id, '-');
	if (p)
		id = p + 1;
	len = end - id;
	if (len >= 7 && !memcmp(end - 7, "service", 7))
		return 0;
	if (len < CONTAINER_ID_FULL_LEN && !(truncated && len >= CONTAINER_ID_LEN))
		return 0;
	memcpy(out, id, CONTAINER_ID_LEN);
	out[CONTAINER_ID_LEN] = '\0';
	return CONTAINER_ID_LEN;
}

static bool contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(s + i, needle, k))
			return true;
	return false;
}

size_t container_id_from_proc(const char *text, size_t n, char *out)
{
	const char *line = text, *end = text + n;

	while (line < end) {
		const char *nl = memchr(line, '\n', end - line);
		size_t len = (nl ? nl : end) - line;

		if (contains(line, len, "pods") || contains(line, len, "docker") ||
		    contains(line, len, "libpod")) {
			size_t k = container_id(line, len, false, out);

			if (k)
				return k;
		}
		line += len + 1;
	}
	return 0;
}
