// SPDX-License-Identifier: Apache-2.0
/*
 * check_user.c — uprobes and USDTs.  The kernel side is one feature per
 * target (uprobes).  The binary side does not depend on the target: when
 * the binary `path` exists on this machine its ELF symbol tables must hold
 * every uprobe symbol (offsets within the symbol and the file), and its
 * .note.stapsdt notes the USDT provider:name with enough arguments; a
 * btfPath must exist and hold each btfType.  When the binary is not here, a
 * note says it was not checked (the binary on the nodes may differ anyway).
 */
#include "check_int.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>

static struct tc_loc user_section_loc(struct val_ctx *v, const struct tp_hook *h)
{
	if (v->p && v->p->section == (int)h->kind && v->p->section_loc.line)
		return v->p->section_loc;
	return h->loc;
}

void val_hook_UPROBE(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h)
{
	val_need_feature(v, vt, TT_FEAT_UPROBES, user_section_loc(v, h),
			 "uprobes are not available");
}

void val_hook_USDT(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h)
{
	val_need_feature(v, vt, TT_FEAT_UPROBES, user_section_loc(v, h),
			 "uprobes are not available");
}

/* ---- USDT notes ------------------------------------------------------------- */

struct usdt_probe {
	char *provider, *name;
	unsigned nargs;
};

/* The stapsdt notes of PATH (NT_STAPSDT = 3 in .note.stapsdt); -1 if not ELF. */
static long read_usdt(const char *path, struct usdt_probe **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx, n = 0, cap = 0;
	struct usdt_probe *p = NULL;
	int cls;

	*out = NULL;
	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx) != 0) {
		if (elf)
			elf_end(elf);
		close(fd);
		return -1;
	}
	cls = gelf_getclass(elf);
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *sname;
		Elf_Data *data;
		size_t off = 0, noff, doff;
		GElf_Nhdr nh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!sname || strcmp(sname, ".note.stapsdt") != 0)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			continue;
		while ((off = gelf_getnote(data, off, &nh, &noff, &doff)) > 0) {
			const char *desc = (const char *)data->d_buf + doff;
			size_t asz = cls == ELFCLASS32 ? 4 : 8, dl = nh.n_descsz, k, alen;
			const char *prov, *name, *args, *end;

			if (nh.n_type != 3 || nh.n_namesz != 8 ||
			    memcmp((const char *)data->d_buf + noff, "stapsdt", 8) != 0 ||
			    dl <= 3 * asz || doff + dl > data->d_size)
				continue;
			end = desc + dl;
			prov = desc + 3 * asz;
			name = memchr(prov, 0, (size_t)(end - prov));
			if (!name++ || name >= end)
				continue;
			args = memchr(name, 0, (size_t)(end - name));
			if (!args++ || args > end)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				p = xrealloc(p, cap * sizeof(*p));
			}
			p[n].provider = xstrdup(prov);
			p[n].name = xstrdup(name);
			p[n].nargs = 0;
			/* arguments: "8@%rbx -4@112(%rsp)", separated by blanks */
			alen = strnlen(args, (size_t)(end - args));
			for (k = 0; k < alen;) {
				while (k < alen && args[k] == ' ')
					k++;
				if (k == alen)
					break;
				p[n].nargs++;
				while (k < alen && args[k] != ' ')
					k++;
			}
			n++;
		}
	}
	elf_end(elf);
	close(fd);
	*out = p;
	return (long)n;
}

static void free_usdt(struct usdt_probe *p, long n)
{
	for (long i = 0; i < n; i++) {
		free(p[i].provider);
		free(p[i].name);
	}
	free(p);
}

static void check_usdt(struct val_ctx *v, struct tp_hook *h, const char *path)
{
	struct usdt_probe *p;
	long n = read_usdt(path, &p);
	const struct usdt_probe *hit = NULL;
	bool have_provider = false;

	if (n < 0) {
		vf_warning(v, h->path.loc, "'%s' is not an ELF file", path);
		return;
	}
	if (!h->provider.s || !h->name.s)
		goto out;
	for (long i = 0; i < n; i++) {
		have_provider |= !strcmp(p[i].provider, h->provider.s);
		if (!strcmp(p[i].provider, h->provider.s) && !strcmp(p[i].name, h->name.s))
			hit = &p[i];
	}
	if (!hit) {
		const char **names = xmalloc(((size_t)n + 1) * sizeof(*names));
		const char *sugg[3];
		size_t k = 0, ns;
		bool by_provider = have_provider;

		for (long i = 0; i < n; i++)
			if (!by_provider || !strcmp(p[i].provider, h->provider.s))
				names[k++] = by_provider ? p[i].name : p[i].provider;
		ns = tt_suggest_strings(by_provider ? h->name.s : h->provider.s, names, k, sugg, 3);
		if (by_provider) {
			vf_error(v, h->name.loc, "no USDT probe '%s:%s' in %s", h->provider.s,
				 h->name.s, path);
		} else {
			vf_error(v, h->provider.loc, "no USDT provider '%s' in %s", h->provider.s,
				 path);
		}
		vf_note(v, val_noloc,
			"%s has %ld probe%s in .note.stapsdt (checked on this machine)", path, n,
			n == 1 ? "" : "s");
		vf_help_suggest(v, sugg, ns);
		free(names);
		goto out;
	}
	for (size_t i = 0; i < h->args.n; i++) {
		const struct tp_arg *a = &h->args.v[i];

		if (a->index.set && a->index.v >= hit->nargs) {
			vf_error(v, a->index.loc,
				 "argument index %llu is out of range: USDT probe '%s:%s' has %u "
				 "argument%s",
				 (unsigned long long)a->index.v, hit->provider, hit->name,
				 hit->nargs, hit->nargs == 1 ? "" : "s");
			vf_note(v, val_noloc, "from its .note.stapsdt entry in %s", path);
		}
	}
out:
	free_usdt(p, n < 0 ? 0 : n);
}

/* ---- uprobe symbols ----------------------------------------------------------- */

static void check_uprobe(struct val_ctx *v, struct tp_hook *h, const char *path, off_t fsize)
{
	struct tt_elf *e = tt_elf_open(path, NULL);

	if (!e) {
		vf_warning(v, h->path.loc, "'%s' is not an ELF file with symbols", path);
		return;
	}
	for (size_t i = 0; i < h->symbols.n; i++) {
		const struct tp_str *s = &h->symbols.v[i];
		const char *plus;
		char *name;
		unsigned long long off = 0;
		const struct tt_elfsym *sym;

		if (!s->s || !*s->s || val_has_nul(s))
			continue;
		plus = strchr(s->s, '+');
		name = plus ? xstrndup(s->s, (size_t)(plus - s->s)) : xstrdup(s->s);
		if (plus)
			off = strtoull(plus + 1, NULL, 0);
		sym = *name ? tt_elf_lookup(e, name) : NULL;
		if (!sym) {
			const char *sugg[3];
			size_t ns = *name ? tt_elf_suggest(e, name, sugg, 3) : 0;

			vf_error(v, s->loc, "'%s' is not a symbol of %s", name, path);
			vf_note(v, val_noloc,
				"not among the %zu symbols of its .symtab and .dynsym (checked on "
				"this machine)",
				tt_elf_symbol_count(e));
			vf_help_suggest(v, sugg, ns);
		} else if (!sym->func) {
			vf_warning(v, s->loc, "'%s' in %s is not a function", name, path);
		} else if (plus && sym->size && off >= sym->size) {
			vf_warning(v, s->loc, "offset +%llu is past the end of '%s' (%llu bytes)",
				   off, name, sym->size);
		}
		free(name);
	}
	for (size_t i = 0; i < h->offsets.n; i++) {
		const struct tp_uint *o = &h->offsets.v[i];

		if (o->set && fsize > 0 && o->v >= (uint64_t)fsize)
			vf_error(v, o->loc, "offset %llu is past the end of %s (%lld bytes)",
				 (unsigned long long)o->v, path, (long long)fsize);
	}
	tt_elf_free(e);
}

/* btfPath and each btfType of the hook. */
static void check_btf_path(struct val_ctx *v, struct tp_hook *h)
{
	struct btf *btf;
	struct tp_args *lists[] = {&h->args, &h->data};

	if (!h->btf_path.s || !*h->btf_path.s || val_has_nul(&h->btf_path))
		return;
	if (access(h->btf_path.s, R_OK) != 0) {
		vf_info(v, h->btf_path.loc,
			"btfPath '%s' is not on this machine: btfType not checked", h->btf_path.s);
		return;
	}
	btf = btf__parse(h->btf_path.s, NULL);
	if (!btf) {
		vf_error(v, h->btf_path.loc, "btfPath '%s' is not a BTF file", h->btf_path.s);
		return;
	}
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			const struct tp_arg *a = &lists[l]->v[i];

			if (!a->btf_type.s || !*a->btf_type.s)
				continue;
			if (btf__find_by_name_kind(btf, a->btf_type.s, BTF_KIND_STRUCT) < 0 &&
			    btf__find_by_name_kind(btf, a->btf_type.s, BTF_KIND_UNION) < 0 &&
			    btf__find_by_name_kind(btf, a->btf_type.s, BTF_KIND_TYPEDEF) < 0)
				vf_error(v, a->btf_type.loc, "btfType '%s' is not in %s",
					 a->btf_type.s, h->btf_path.s);
		}
	}
	btf__free(btf);
}

void val_user_hook(struct val_ctx *v, struct tp_hook *h)
{
	const char *path = h->path.s;
	struct stat st;

	if (!path || !*path || val_has_nul(&h->path) || path[0] != '/')
		return;
	check_btf_path(v, h);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		vf_info(v, h->path.loc, "'%s' is not on this machine: its %s not checked", path,
			h->kind == TP_HOOK_USDT ? "USDT probes are" : "symbols are");
		return;
	}
	if (h->kind == TP_HOOK_USDT)
		check_usdt(v, h, path);
	else
		check_uprobe(v, h, path, st.st_size);
}
