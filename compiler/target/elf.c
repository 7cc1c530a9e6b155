// SPDX-License-Identifier: Apache-2.0
/*
 * elf.c — symbols of user-space ELF binaries for uprobes, read with libelf:
 * defined symbols from .symtab and .dynsym with their virtual address, the
 * file offset a uprobe attaches at (through the PT_LOAD segment holding the
 * address) and size.  Arbitrary files are handled: anything libelf cannot
 * read is a diagnostic, never a crash.
 */
#include "target_int.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tt_elf {
	struct tt_elfsym *syms; /* sorted by name, unique names */
	size_t nsyms;
	bool debuginfo;
	char *names; /* string storage */
	struct arena arena;
};

static int elfsym_cmp(const void *a, const void *b)
{
	const struct tt_elfsym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	/* prefer functions, then .symtab over .dynsym, then lower address */
	if (x->func != y->func)
		return x->func ? -1 : 1;
	if (x->dynamic != y->dynamic)
		return x->dynamic ? 1 : -1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* File offset of virtual address ADDR through the program headers; 0 if none. */
static unsigned long long vaddr_to_offset(Elf *elf, unsigned long long addr)
{
	size_t n;

	if (elf_getphdrnum(elf, &n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr - ph.p_vaddr < ph.p_filesz)
			return addr - ph.p_vaddr + ph.p_offset;
	}
	return 0;
}

static void read_symtab(struct tt_elf *e, Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, size_t *cap)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n;

	if (!data || sh->sh_entsize == 0)
		return;
	n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *name;
		struct tt_elfsym *s;
		int type;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		type = GELF_ST_TYPE(sym.st_info);
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS)
			continue;
		if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT &&
		    type != STT_NOTYPE)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (e->nsyms == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			e->syms = xrealloc(e->syms, *cap * sizeof(*e->syms));
		}
		s = &e->syms[e->nsyms++];
		s->name = arena_strdup(&e->arena, name);
		s->addr = sym.st_value;
		s->size = sym.st_size;
		s->offset = vaddr_to_offset(elf, sym.st_value);
		s->dynamic = sh->sh_type == SHT_DYNSYM;
		s->func = type == STT_FUNC || type == STT_GNU_IFUNC;
	}
}

struct tt_elf *tt_elf_open(const char *path, struct diag_ctx *dc)
{
	struct tt_elf *e;
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx, cap = 0, o = 0;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		if (dc)
			diag_error(dc, tc_loc_file(tt__intern(path)), "libelf: %s", elf_errmsg(-1));
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		tt__io_error(dc, path, "open", errno);
		return NULL;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx) != 0) {
		if (dc)
			diag_error(dc, tc_loc_file(tt__intern(path)),
				   "'%s' is not an ELF file we can read%s%s", path, elf ? ": " : "",
				   elf ? elf_errmsg(-1) : "");
		if (elf)
			elf_end(elf);
		close(fd);
		errno = ENOEXEC;
		return NULL;
	}
	e = xcalloc(1, sizeof(*e));
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *sname;

		if (!gelf_getshdr(scn, &sh))
			continue;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (sname && strcmp(sname, ".debug_info") == 0)
			e->debuginfo = true;
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM)
			read_symtab(e, elf, scn, &sh, &cap);
	}
	elf_end(elf);
	close(fd);
	if (e->nsyms)
		qsort(e->syms, e->nsyms, sizeof(*e->syms), elfsym_cmp);
	/* keep the first (best) entry of each name */
	for (size_t i = 0; i < e->nsyms; i++)
		if (o == 0 || strcmp(e->syms[o - 1].name, e->syms[i].name) != 0)
			e->syms[o++] = e->syms[i];
	e->nsyms = o;
	return e;
}

void tt_elf_free(struct tt_elf *e)
{
	if (!e)
		return;
	free(e->syms);
	arena_free(&e->arena);
	free(e);
}

const struct tt_elfsym *tt_elf_lookup(const struct tt_elf *e, const char *name)
{
	size_t lo = 0, hi = e->nsyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(e->syms[mid].name, name);

		if (c == 0)
			return &e->syms[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool tt_elf_has_debuginfo(const struct tt_elf *e)
{
	return e->debuginfo;
}

size_t tt_elf_symbol_count(const struct tt_elf *e)
{
	return e->nsyms;
}

static bool elf_is_func(const void *elem)
{
	return ((const struct tt_elfsym *)elem)->func;
}

size_t tt_elf_suggest(const struct tt_elf *e, const char *name, const char **out, size_t max)
{
	return tt__suggest(name, e->syms, e->nsyms, sizeof(*e->syms), elf_is_func, out, max);
}
