/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * One libFuzzer entry point per parser. The same file is linked into a
 * libFuzzer binary (clang, -Dfuzzing=true) and into a corpus-replay program
 * (fuzz-main.c, any compiler) that the 'fuzz' test suite runs.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a critical (a g_return_if_fail) is a bug the fuzzer must report */
static inline void
wf_fuzz_init(void)
{
	static gboolean done = FALSE;
	if (done)
		return;
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
	done = TRUE;
}

/* an invariant of parse → write → parse did not hold */
#define wf_fuzz_check(expr)                                                                        \
	G_STMT_START                                                                               \
	{                                                                                          \
		if (!(expr)) {                                                                     \
			g_printerr(                                                                \
				"fuzz invariant failed: %s (%s:%d)\n", #expr, __FILE__, __LINE__); \
			abort();                                                                   \
		}                                                                                  \
	}                                                                                          \
	G_STMT_END
