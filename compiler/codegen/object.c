// SPDX-License-Identifier: Apache-2.0
/*
 * object.c — a policy all the way to a BPF ELF object (gen_object, codegen.h),
 * and the tetracc sections read back (om_read).
 *
 * The pipeline for one policy: lower it (lower.c) for the targets, emit its
 * C (emit.c), build "vmlinux.h" from the first target's BTF with only the
 * types and members used (btftypes.h, minimal mode: every access is a CO-RE
 * relocation, so the object loads on the other targets and nodes too),
 * compile the whole policy as ONE translation unit in process (cgclang.h:
 * one forked child per compile), and append the `.tetracc.meta` JSON and
 * `.tetracc.mapinit` entries as non-allocated sections with libelf (libbpf
 * skips sections it does not know).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cgclang.h"
#include "cgreport.h"
#include "codegen.h"
#include "target.h"
#include "timing.h"

/* ---- ELF sections ----------------------------------------------------------------------- */

struct om_new_sec {
	const char *name;
	const void *data;
	size_t len;
};

/*
 * Append sections SECS[0..n) to the relocatable ELF object OBJ[0..len) and
 * return the new object (malloc'd) in *out.
 */
static int elf_add_sections(const unsigned char *obj, size_t len, const struct om_new_sec *secs,
			    size_t n, unsigned char **out, size_t *outlen, char *err, size_t errlen)
{
	int fd = memfd_create("tetracc-object", MFD_CLOEXEC);
	Elf *e = NULL;
	size_t shstrndx;
	Elf_Scn *strscn;
	GElf_Shdr sh;
	size_t stroff;
	struct array names = {0};
	int rc = -1;
	off_t size;

	if (fd < 0) {
		snprintf(err, errlen, "memfd_create: %s", strerror(errno));
		return -1;
	}
	if (write(fd, obj, len) != (ssize_t)len) {
		snprintf(err, errlen, "write: %s", strerror(errno));
		goto out;
	}
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_RDWR, NULL);
	if (!e || elf_getshdrstrndx(e, &shstrndx) || !(strscn = elf_getscn(e, shstrndx)) ||
	    !gelf_getshdr(strscn, &sh)) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		goto out;
	}
	stroff = sh.sh_size;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(secs[i].name) + 1;

		memcpy(array_add(&names, l), secs[i].name, l);
	}
	{
		Elf_Data *d = elf_newdata(strscn);

		if (!d) {
			snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
			goto out;
		}
		d->d_buf = names.val;
		d->d_size = names.len;
		d->d_type = ELF_T_BYTE;
		d->d_align = 1;
		sh.sh_size += names.len;
		gelf_update_shdr(strscn, &sh);
	}
	for (size_t i = 0, noff = stroff; i < n; i++) {
		Elf_Scn *scn = elf_newscn(e);
		Elf_Data *d;
		GElf_Shdr nsh;

		if (!scn || !(d = elf_newdata(scn)) || !gelf_getshdr(scn, &nsh)) {
			snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
			goto out;
		}
		d->d_buf = (void *)secs[i].data;
		d->d_size = secs[i].len;
		d->d_type = ELF_T_BYTE;
		d->d_align = 8;
		nsh.sh_name = (GElf_Word)noff;
		nsh.sh_type = SHT_PROGBITS;
		nsh.sh_flags = 0; /* not SHF_ALLOC: never loaded */
		nsh.sh_addralign = 8;
		nsh.sh_size = secs[i].len;
		gelf_update_shdr(scn, &nsh);
		noff += strlen(secs[i].name) + 1;
	}
	if (elf_update(e, ELF_C_WRITE) < 0) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		goto out;
	}
	elf_end(e);
	e = NULL;
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0) {
		snprintf(err, errlen, "empty object");
		goto out;
	}
	*out = xmalloc((size_t)size);
	if (pread(fd, *out, (size_t)size, 0) != size) {
		free(*out);
		*out = NULL;
		snprintf(err, errlen, "read: %s", strerror(errno));
		goto out;
	}
	*outlen = (size_t)size;
	rc = 0;
out:
	if (e)
		elf_end(e);
	array_free(&names);
	close(fd);
	return rc;
}

int om_read(const void *buf, size_t len, struct om_sections *out, char *err, size_t errlen)
{
	char *copy = xmalloc(len ? len : 1);
	Elf *e;
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memcpy(copy, buf, len);
	elf_version(EV_CURRENT);
	e = elf_memory(copy, len);
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx)) {
		snprintf(err, errlen, "not an ELF object");
		goto out;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(e, shstrndx, sh.sh_name)))
			continue;
		if (strcmp(name, OM_META_SECTION) && strcmp(name, OM_MAPINIT_SECTION))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			continue;
		if (!strcmp(name, OM_META_SECTION)) {
			free(out->meta);
			out->meta = xmalloc(d->d_size + 1);
			memcpy(out->meta, d->d_buf, d->d_size);
			out->meta[d->d_size] = 0;
			out->meta_len = strnlen(out->meta, d->d_size);
		} else {
			free(out->mapinit);
			out->mapinit = xmalloc(d->d_size ? d->d_size : 1);
			memcpy(out->mapinit, d->d_buf, d->d_size);
			out->mapinit_len = d->d_size;
		}
	}
	if (!out->meta) {
		snprintf(err, errlen, "no %s section: not a tetracc object", OM_META_SECTION);
		om_free(out);
		goto out;
	}
	rc = 0;
out:
	if (e)
		elf_end(e);
	free(copy);
	return rc;
}

void om_free(struct om_sections *s)
{
	free(s->meta);
	free(s->mapinit);
	memset(s, 0, sizeof(*s));
}

/* ---- the whole pipeline ------------------------------------------------------------------- */

int gen_object(struct diag_ctx *dc, const struct tp_policy *pol, const char *src, size_t srclen,
	       const struct gen_opts *o, enum gen_emit emit, struct gen_object_out *out)
{
	struct arena a = {0};
	struct lw_plan *p;
	struct gen_c_out c = {0};
	char *hdr = NULL, *errmsg = NULL;
	struct cg_result res = {0};
	struct cg_file files[1];
	struct cg_compile_opts copts = {.sz = sizeof(copts)};
	char *meta = NULL;
	unsigned char *mapinit = NULL;
	size_t meta_len = 0, mapinit_len = 0;
	int rc = -1, r;
	char err[256];
	double t0;

	(void)src;
	(void)srclen;
	memset(out, 0, sizeof(*out));
	TC_TIMED("codegen: lower", p = lw_lower(&a, dc, pol, o->source, o->targets, o->ntargets));
	if (!p)
		goto out;
	TC_TIMED("codegen: emit C", r = gen_c(&a, dc, p, o, &c));
	if (r < 0)
		goto out;
	out->nhooks = p->nhooks;
	out->nmaps = array_count(&p->maps, struct lw_map *);
	for (size_t i = 0; i < p->nhooks; i++)
		for (size_t k = 0; k < p->hooks[i].nattach; k++)
			out->nprogs += 1 + (p->hooks[i].attach[k].ret_fl != LW_FL_NONE);
	if (emit == GEN_EMIT_C) {
		out->data = (unsigned char *)c.text;
		out->len = c.len;
		c.text = NULL;
		rc = 0;
		goto out;
	}
	TC_TIMED("codegen: types header",
		 r = cg_btf_header(o->targets[0]->btf, c.reqs, c.nreqs, CG_BTF_MINIMAL, 0, &hdr,
				   &errmsg));
	if (r < 0) {
		diag_error(dc, tc_loc_file(o->source),
			   "cannot build the types header from target %s's BTF: %s",
			   o->targets[0]->name, errmsg ? errmsg : "?");
		goto out;
	}
	if (emit == GEN_EMIT_TYPES) {
		out->data = (unsigned char *)hdr;
		out->len = strlen(hdr);
		hdr = NULL;
		rc = 0;
		goto out;
	}
	files[0].name = "vmlinux.h";
	files[0].data = hdr;
	files[0].len = strlen(hdr);
	copts.main_name = "policy.bpf.c";
	copts.only_compile = o->only_compile;
	copts.files = files;
	copts.nfiles = 1;
	t0 = tc_time_begin();
	r = cg_compile(c.text, c.len, &copts, &res);
	tc_time_add("clang: parse and IR generation", res.secs_frontend);
	tc_time_add("clang: LLVM passes and BPF code generation", res.secs_backend);
	tc_time_end("clang: set-up, fork, result pipe", t0);
	if (r < 0 || !res.obj) {
		diag_error(dc, tc_loc_file(o->source),
			   "the generated C does not compile (a tetracc bug); the compiler says:");
		cg_report(dc, &res, copts.main_name, c.text, c.len);
		diag_flush(dc);
		goto out;
	}
	t0 = tc_now();
	meta = gen_meta(p, o, &meta_len);
	mapinit = gen_mapinit(p, &mapinit_len);
	{
		struct om_new_sec secs[2] = {{OM_META_SECTION, meta, meta_len + 1},
					     {OM_MAPINIT_SECTION, mapinit, mapinit_len}};

		if (elf_add_sections(res.obj, res.obj_len, secs, mapinit ? 2 : 1, &out->data,
				     &out->len, err, sizeof(err)) < 0) {
			diag_error(dc, tc_loc_file(o->source), "cannot add the metadata: %s", err);
			goto out;
		}
	}
	tc_time_add("codegen: metadata", tc_now() - t0);
	rc = 0;
out:
	cg_result_free(&res);
	free(c.text);
	free(hdr);
	free(errmsg);
	free(meta);
	free(mapinit);
	lw_plan_free(p);
	arena_free(&a);
	return rc;
}
