// SPDX-License-Identifier: Apache-2.0
/*
 * stacks.c — kernel symbols from kallsyms and user addresses from
 * /proc/PID/maps, for the stack traces of hook events (see stacks.h).
 *
 * kallsyms is ~120,000 lines; it is read once, when the first event with a
 * kernel stack arrives, into one sorted array of (address, name offset) and
 * one string pool, and binary-searched afterwards.
 */
#include "stacks.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ksym {
	uint64_t addr;
	uint32_t name; /* offset in pool */
};

struct ksyms {
	struct ksym *v;
	size_t n, cap;
	char *pool;
	size_t pool_len, pool_cap;
};

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 1024;
	void *np;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	np = realloc(*p, c * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = c;
	return 0;
}

struct ksyms *ksyms__load(const char *path)
{
	FILE *f = fopen(path, "re");
	struct ksyms *k;
	char line[512];

	if (!f)
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k) {
		fclose(f);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		char type, name[256];
		uint64_t addr;
		size_t nl;

		if (sscanf(line, "%" SCNx64 " %c %255s", &addr, &type, name) != 3)
			continue;
		if (!addr || !strchr("tTwW", type))
			continue;
		nl = strlen(name) + 1;
		if (grow((void **)&k->v, &k->cap, k->n + 1, sizeof(*k->v)) ||
		    grow((void **)&k->pool, &k->pool_cap, k->pool_len + nl, 1))
			break;
		memcpy(k->pool + k->pool_len, name, nl);
		k->v[k->n].addr = addr;
		k->v[k->n].name = (uint32_t)k->pool_len;
		k->pool_len += nl;
		k->n++;
	}
	fclose(f);
	if (k->n)
		qsort(k->v, k->n, sizeof(*k->v), cmp_ksym);
	return k;
}

void ksyms__free(struct ksyms *k)
{
	if (!k)
		return;
	free(k->v);
	free(k->pool);
	free(k);
}

const char *ksyms__find(const struct ksyms *k, uint64_t addr, uint64_t *off)
{
	size_t lo = 0, hi;

	if (!k || !k->n || addr < k->v[0].addr)
		return NULL;
	hi = k->n;
	/* the last symbol with address <= addr */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*off = addr - k->v[lo].addr;
	return k->pool + k->v[lo].name;
}

int stacks_user_module(uint32_t pid, uint64_t addr, char *module, size_t n, uint64_t *off)
{
	char path[64], line[4608];
	FILE *f;
	int ret = -ENOENT;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		uint64_t start, end, foff;
		char perms[8], file[4096] = "";

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*u %4095[^\n]", &start,
			   &end, perms, &foff, file) < 4)
			continue;
		if (addr < start || addr >= end)
			continue;
		if (file[0] != '/')
			break; /* anonymous, [vdso], [stack] ... */
		snprintf(module, n, "%s", file);
		*off = addr - start + foff;
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}
