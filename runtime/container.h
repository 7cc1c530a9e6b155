/* SPDX-License-Identifier: Apache-2.0 */
/*
 * container.h — container id from a cgroup path or name, as Tetragon shows
 * it in `process.docker`.
 */
#ifndef TETRALOAD_CONTAINER_H
#define TETRALOAD_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

/* Tetragon cuts the id to 31 characters (BpfContainerIdLength). */
#define CONTAINER_ID_LEN 31
/* Length Tetragon trusts as an untruncated id (ContainerIdLength). */
#define CONTAINER_ID_FULL_LEN 64

/**
 * @brief **container_id()** extracts the container id from a cgroup path
 * (`/system.slice/docker-<id>.scope`, `/docker/<id>`,
 * `/kubepods.slice/.../cri-containerd-<id>.scope`, `crio-<id>.scope`,
 * `.../pod<uid>/<id>`) or from its last component as the base sensor reads
 * it.  Follows Tetragon's LookupContainerId(): last path component, after the
 * last ':' and the last '-'; accepted when it is at least 64 characters (or
 * at least 31 when `truncated`, i.e. the name filled the BPF buffer) and
 * does not end in "service".
 *
 * @param path cgroup path or name, not necessarily NUL-terminated
 * @param n its length
 * @param truncated the name may have been cut by the BPF buffer
 * @param out receives the id, NUL-terminated (room for CONTAINER_ID_LEN + 1)
 * @return length of the id (CONTAINER_ID_LEN), or 0 when none was found
 */
size_t container_id(const char *path, size_t n, bool truncated, char *out);

/**
 * @brief **container_id_from_proc()** scans the text of /proc/PID/cgroup
 * (one `hier:controllers:path` per line) like Tetragon's procsFindDockerId():
 * the first line that mentions "pods", "docker" or "libpod" and yields an id.
 * @return length of the id, or 0
 */
size_t container_id_from_proc(const char *text, size_t n, char *out);

#endif /* TETRALOAD_CONTAINER_H */
