/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-sim-da-context.h"

#include "wf-error.h"

/*
 * The hand-over point between the BROM model and a Download Agent
 * emulation. The DA protocol depends on the blob the host uploaded
 * (protocol.md §5.11), so the context exposes the uploaded blocks for the
 * emulation to recognise, and the same flash the BROM's remapped window and
 * SFI use.
 */

struct _WfSimDaContext {
	WfSimLink *link;
	WfSimMemory *memory;
	GArray *blocks; /* of WfSimDaBlock */
	guint32 jump_addr;
	GCancellable *cancellable;
	gboolean reset_requested;
};

/**
 * wf_sim_da_context_new: (skip)
 * @link: the watch's link
 * @memory: the chip's bus
 * @blocks: (element-type WfSimDaBlock): the SEND_DA blocks
 * @jump_addr: JUMP_DA's argument
 * @cancellable: (nullable): cancelled when the watch shuts down
 *
 * Used by the BROM model only.
 */
WfSimDaContext *
wf_sim_da_context_new(WfSimLink *link,
		      WfSimMemory *memory,
		      GArray *blocks,
		      guint32 jump_addr,
		      GCancellable *cancellable)
{
	WfSimDaContext *ctx = g_new0(WfSimDaContext, 1);

	ctx->link = g_object_ref(link);
	ctx->memory = g_object_ref(memory);
	ctx->blocks = g_array_ref(blocks);
	ctx->jump_addr = jump_addr;
	ctx->cancellable = cancellable != NULL ? g_object_ref(cancellable) : NULL;
	return ctx;
}

/**
 * wf_sim_da_context_free:
 * @ctx: a context
 */
void
wf_sim_da_context_free(WfSimDaContext *ctx)
{
	if (ctx == NULL)
		return;
	g_object_unref(ctx->link);
	g_object_unref(ctx->memory);
	g_array_unref(ctx->blocks);
	g_clear_object(&ctx->cancellable);
	g_free(ctx);
}

static gint64
wf_sim_da_context_deadline(guint timeout_ms)
{
	if (timeout_ms == 0)
		return WF_SIM_FOREVER;
	return g_get_monotonic_time() + (gint64)timeout_ms * 1000;
}

/**
 * wf_sim_da_context_read_some:
 * @ctx: a context
 * @buf: where to put the bytes
 * @bufsz: the most to read
 * @actual: (out): how many arrived, at least one
 * @timeout_ms: how long to wait; 0 = until the port goes
 * @error: (out): %WF_ERROR_TIMED_OUT or %WF_ERROR_DEVICE_LOST
 */
gboolean
wf_sim_da_context_read_some(WfSimDaContext *ctx,
			    guint8 *buf,
			    gsize bufsz,
			    gsize *actual,
			    guint timeout_ms,
			    GError **error)
{
	g_return_val_if_fail(ctx != NULL, FALSE);
	return wf_sim_link_read(ctx->link,
				WF_SIM_DIRECTION_OUT,
				buf,
				bufsz,
				actual,
				wf_sim_da_context_deadline(timeout_ms),
				ctx->cancellable,
				error);
}

/**
 * wf_sim_da_context_read:
 * @ctx: a context
 * @buf: where to put the bytes
 * @bufsz: exactly how many to read
 * @timeout_ms: how long to wait for all of them; 0 = until the port goes
 * @error: (out): %WF_ERROR_TIMED_OUT or %WF_ERROR_DEVICE_LOST
 */
gboolean
wf_sim_da_context_read(
	WfSimDaContext *ctx, guint8 *buf, gsize bufsz, guint timeout_ms, GError **error)
{
	gint64 deadline = wf_sim_da_context_deadline(timeout_ms);
	gsize done = 0;

	g_return_val_if_fail(ctx != NULL, FALSE);
	g_return_val_if_fail(buf != NULL || bufsz == 0, FALSE);

	while (done < bufsz) {
		gsize got = 0;
		if (!wf_sim_link_read(ctx->link,
				      WF_SIM_DIRECTION_OUT,
				      buf + done,
				      bufsz - done,
				      &got,
				      deadline,
				      ctx->cancellable,
				      error))
			return FALSE;
		done += got;
	}
	return TRUE;
}

/**
 * wf_sim_da_context_write:
 * @ctx: a context
 * @buf: bytes for the host
 * @bufsz: how many
 * @error: (out): %WF_ERROR_DEVICE_LOST
 */
gboolean
wf_sim_da_context_write(WfSimDaContext *ctx, const guint8 *buf, gsize bufsz, GError **error)
{
	g_return_val_if_fail(ctx != NULL, FALSE);
	return wf_sim_link_write(ctx->link,
				 WF_SIM_DIRECTION_IN,
				 buf,
				 bufsz,
				 WF_SIM_FOREVER,
				 ctx->cancellable,
				 error);
}

/**
 * wf_sim_da_context_get_memory:
 * @ctx: a context
 *
 * Returns: (transfer none): the chip's bus (PSRAM, SRAM, registers, SFI)
 */
WfSimMemory *
wf_sim_da_context_get_memory(WfSimDaContext *ctx)
{
	g_return_val_if_fail(ctx != NULL, NULL);
	return ctx->memory;
}

/**
 * wf_sim_da_context_get_flash:
 * @ctx: a context
 *
 * Returns: (transfer none): the serial NOR
 */
WfSimFlash *
wf_sim_da_context_get_flash(WfSimDaContext *ctx)
{
	g_return_val_if_fail(ctx != NULL, NULL);
	return wf_sim_memory_get_flash(ctx->memory);
}

/**
 * wf_sim_da_context_get_jump_addr:
 * @ctx: a context
 */
guint32
wf_sim_da_context_get_jump_addr(WfSimDaContext *ctx)
{
	g_return_val_if_fail(ctx != NULL, 0);
	return ctx->jump_addr;
}

/**
 * wf_sim_da_context_get_n_blocks:
 * @ctx: a context
 */
guint
wf_sim_da_context_get_n_blocks(WfSimDaContext *ctx)
{
	g_return_val_if_fail(ctx != NULL, 0);
	return ctx->blocks->len;
}

/**
 * wf_sim_da_context_get_block:
 * @ctx: a context
 * @idx: 0 for the first SEND_DA
 *
 * Returns: (nullable): the block, %NULL if @idx is out of range
 */
const WfSimDaBlock *
wf_sim_da_context_get_block(WfSimDaContext *ctx, guint idx)
{
	g_return_val_if_fail(ctx != NULL, NULL);
	if (idx >= ctx->blocks->len)
		return NULL;
	return &g_array_index(ctx->blocks, WfSimDaBlock, idx);
}

/**
 * wf_sim_da_context_dup_block_data:
 * @ctx: a context
 * @idx: 0 for the first SEND_DA
 *
 * Returns: (transfer full) (nullable): the block's bytes as they are in memory now
 */
GBytes *
wf_sim_da_context_dup_block_data(WfSimDaContext *ctx, guint idx)
{
	const WfSimDaBlock *block = wf_sim_da_context_get_block(ctx, idx);
	guint8 *buf;

	if (block == NULL)
		return NULL;
	buf = g_malloc(block->len);
	wf_sim_memory_read_bytes(ctx->memory, block->addr, buf, block->len);
	return g_bytes_new_take(buf, block->len);
}

/**
 * wf_sim_da_context_request_reset:
 * @ctx: a context
 *
 * The DA reset the chip (e.g. its FINISH with a watchdog reset): when the
 * #WfSimDaFunc returns, the port vanishes and the watch comes back in BROM.
 */
void
wf_sim_da_context_request_reset(WfSimDaContext *ctx)
{
	g_return_if_fail(ctx != NULL);
	ctx->reset_requested = TRUE;
}

/**
 * wf_sim_da_context_get_reset_requested:
 * @ctx: a context
 */
gboolean
wf_sim_da_context_get_reset_requested(WfSimDaContext *ctx)
{
	g_return_val_if_fail(ctx != NULL, FALSE);
	return ctx->reset_requested;
}
