// SPDX-License-Identifier: Apache-2.0
/* policy.c — AST helpers (placeholder). */
#include "policy.h"
