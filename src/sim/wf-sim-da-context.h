/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-sim-link.h"
#include "wf-sim-memory.h"

G_BEGIN_DECLS

/**
 * WfSimDaBlock:
 * @addr: load address (SEND_DA's first argument)
 * @len: bytes uploaded, signature included
 * @sig_len: bytes at the end the BROM treats as signature
 * @checksum: the XOR16 the BROM answered
 *
 * One block the BROM accepted through SEND_DA (protocol.md §3.3).
 */
typedef struct {
	guint32 addr;
	guint32 len;
	guint32 sig_len;
	guint16 checksum;
} WfSimDaBlock;

/**
 * WfSimDaContext:
 *
 * What a Download Agent emulation gets after a successful JUMP_DA: the
 * watch's end of the link, its bus (memory, SFI, flash) and the blocks the
 * host uploaded. Valid only during the #WfSimDaFunc call.
 */
typedef struct _WfSimDaContext WfSimDaContext;

/**
 * WfSimDaFunc:
 * @ctx: the context
 * @user_data: what was given to wf_sim_watch_set_da_func()
 *
 * Runs in the watch's thread right after the BROM sent JUMP_DA's status
 * 0x0000; the next byte the host reads comes from here. Return when the DA
 * is done: if wf_sim_da_context_request_reset() was called the watch resets
 * (the port vanishes and re-enumerates in BROM mode), otherwise it stays
 * silent until the port goes. Reads and writes fail with
 * %WF_ERROR_DEVICE_LOST once the port has gone; return then.
 */
typedef void (*WfSimDaFunc)(WfSimDaContext *ctx, gpointer user_data);

WfSimDaContext *
wf_sim_da_context_new(WfSimLink *link,
		      WfSimMemory *memory,
		      GArray *blocks,
		      guint32 jump_addr,
		      GCancellable *cancellable);
void
wf_sim_da_context_free(WfSimDaContext *ctx);

gboolean
wf_sim_da_context_read(
	WfSimDaContext *ctx, guint8 *buf, gsize bufsz, guint timeout_ms, GError **error);
gboolean
wf_sim_da_context_read_some(WfSimDaContext *ctx,
			    guint8 *buf,
			    gsize bufsz,
			    gsize *actual,
			    guint timeout_ms,
			    GError **error);
gboolean
wf_sim_da_context_write(WfSimDaContext *ctx, const guint8 *buf, gsize bufsz, GError **error);
WfSimMemory *
wf_sim_da_context_get_memory(WfSimDaContext *ctx);
WfSimFlash *
wf_sim_da_context_get_flash(WfSimDaContext *ctx);
guint32
wf_sim_da_context_get_jump_addr(WfSimDaContext *ctx);
guint
wf_sim_da_context_get_n_blocks(WfSimDaContext *ctx);
const WfSimDaBlock *
wf_sim_da_context_get_block(WfSimDaContext *ctx, guint idx);
GBytes *
wf_sim_da_context_dup_block_data(WfSimDaContext *ctx, guint idx);
void
wf_sim_da_context_request_reset(WfSimDaContext *ctx);
gboolean
wf_sim_da_context_get_reset_requested(WfSimDaContext *ctx);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfSimDaContext, wf_sim_da_context_free)

G_END_DECLS
