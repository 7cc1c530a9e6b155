/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kfeatures.h — what the node's kernel can attach, probed once and cached.
 *
 * Cheap probes only: a look at sysfs/tracefs/securityfs files, libbpf's
 * program-type and helper probes, and for trampolines (fentry, fmod_ret,
 * LSM) loading and attaching an empty program to one kernel function for a
 * moment.  Each missing feature keeps the sentence the per-hook report
 * prints ("kprobes not available on this kernel").
 */
#ifndef TETRALOAD_KFEATURES_H
#define TETRALOAD_KFEATURES_H

#include <stdbool.h>

#include "meta.h"

enum tl_feature {
	TL_F_KPROBE,
	TL_F_UPROBE,
	TL_F_TRACEPOINT,
	TL_F_RAW_TP,
	TL_F_TP_BTF,
	TL_F_FENTRY,
	TL_F_FMOD_RET,
	TL_F_LSM,
	TL_F_SEND_SIGNAL,
	TL_F_OVERRIDE_RETURN,
	TL_F_MAX,
};

struct tl_features {
	bool have[TL_F_MAX];
	const char *why[TL_F_MAX]; /* reason when !have */
};

/**
 * @brief **features_probe()** probes (the first call) and returns the
 * cached result.  `no_fentry` (--no-fentry) marks fentry/fexit/fmod_ret as
 * unavailable, to exercise the kprobe fallback.
 */
const struct tl_features *features_probe(bool no_fentry);

/** @brief **features_name()** "kprobe", "fentry", ... */
const char *features_name(enum tl_feature f);

/**
 * @brief **features_flavour()** can the node attach this flavour?  On false
 * *why says why (a sentence without a trailing period).
 */
bool features_flavour(const struct tl_features *f, enum tl_flavour fl, const char **why);

#endif /* TETRALOAD_KFEATURES_H */
