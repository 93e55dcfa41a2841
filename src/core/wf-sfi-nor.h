/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-brom-batch.h"
#include "wf-brom.h"

G_BEGIN_DECLS

/*
 * Serial-NOR operations driven from the host through the SFI controller
 * (protocol.md §3.11), with no code on the chip: identify, status, write
 * enable, status-register write, 4 KiB / 64 KiB erase, page program and
 * read (0x03). Every SPI transaction of an operation — GPRAM words, lengths,
 * control writes, status and control reads — goes out as one pipelined
 * #WfBromBatch and is checked afterwards, so an operation costs one round
 * trip, and programming many pages keeps several batches in flight
 * (docs/sfi-write.md).
 *
 * Waits for the flash (WIP) are bounded by typical datasheet maxima and a
 * timeout names the operation and the address, e.g. "block erase at
 * 0x00120000 did not finish in 2000 ms".
 */

#define WF_TYPE_SFI_NOR (wf_sfi_nor_get_type())
G_DECLARE_FINAL_TYPE(WfSfiNor, wf_sfi_nor, WF, SFI_NOR, GObject)

#define WF_SFI_NOR_PAGE_SIZE   256
#define WF_SFI_NOR_SECTOR_SIZE 0x1000
#define WF_SFI_NOR_BLOCK_SIZE  0x10000

/* status register (05 RDSR) */
#define WF_SFI_NOR_SR_WIP     0x01
#define WF_SFI_NOR_SR_WEL     0x02
#define WF_SFI_NOR_SR_BP_MASK 0x3C

/* SPI-NOR opcodes beyond the two wf-sfi.h has */
#define WF_SFI_NOR_CMD_WRSR 0x01
#define WF_SFI_NOR_CMD_PP   0x02
#define WF_SFI_NOR_CMD_READ 0x03
#define WF_SFI_NOR_CMD_WRDI 0x04
#define WF_SFI_NOR_CMD_WREN 0x06
#define WF_SFI_NOR_CMD_SE   0x20
#define WF_SFI_NOR_CMD_BE   0xD8

/* how long each operation may keep WIP set: typical datasheet maxima
 * (W25Q/GD25/MX25L: 4 KiB erase 300–400 ms, 64 KiB erase 1.2–2 s, page
 * program 3–5 ms, status write 15 ms) */
#define WF_SFI_NOR_TIMEOUT_SECTOR_ERASE_MS 400
#define WF_SFI_NOR_TIMEOUT_BLOCK_ERASE_MS  2000
#define WF_SFI_NOR_TIMEOUT_PAGE_PROGRAM_MS 5
#define WF_SFI_NOR_TIMEOUT_WRITE_STATUS_MS 15

/* batches in flight while programming pages */
#define WF_SFI_NOR_DEFAULT_DEPTH 2
#define WF_SFI_NOR_MAX_DEPTH	 8

typedef enum {
	WF_SFI_NOR_OP_ANY, /* whatever the flash was busy with before */
	WF_SFI_NOR_OP_SECTOR_ERASE,
	WF_SFI_NOR_OP_BLOCK_ERASE,
	WF_SFI_NOR_OP_PAGE_PROGRAM,
	WF_SFI_NOR_OP_WRITE_STATUS,
	WF_SFI_NOR_OP_LAST
} WfSfiNorOp;

/**
 * WfSfiNorStats:
 * @sector_erases: 4 KiB erases done
 * @block_erases: 64 KiB erases done
 * @pages_programmed: page programs done (confirmed)
 * @pages_skipped: pages not programmed because every byte was 0xFF
 * @page_retries: page batches sent again (the flash was still busy, or did
 *   not set WEL, or the controller was slow)
 * @status_polls: RDSR polls while waiting for WIP
 * @batches: boot-ROM batches run
 * @max_pacing: the most pacing status reads a page batch needed
 */
typedef struct {
	guint sector_erases;
	guint block_erases;
	guint pages_programmed;
	guint pages_skipped;
	guint page_retries;
	guint status_polls;
	guint batches;
	guint max_pacing;
} WfSfiNorStats;

/* called once per page of wf_sfi_nor_program(): @programmed is FALSE for a
 * page skipped because it is all 0xFF */
typedef void (*WfSfiNorPageFunc)(guint32 addr, gsize len, gboolean programmed, gpointer user_data);

const gchar *
wf_sfi_nor_op_to_string(WfSfiNorOp op);

WfSfiNor *
wf_sfi_nor_new(WfBrom *brom);
WfBrom *
wf_sfi_nor_get_brom(WfSfiNor *self);
void
wf_sfi_nor_set_timeout(WfSfiNor *self, WfSfiNorOp op, guint timeout_ms);
guint
wf_sfi_nor_get_timeout(WfSfiNor *self, WfSfiNorOp op);
void
wf_sfi_nor_set_depth(WfSfiNor *self, guint depth);
const WfSfiNorStats *
wf_sfi_nor_get_stats(WfSfiNor *self);
void
wf_sfi_nor_reset_stats(WfSfiNor *self);

/* identification and status */
gboolean
wf_sfi_nor_read_jedec_id(WfSfiNor *self, guint8 id[3], GCancellable *cancellable, GError **error);
gboolean
wf_sfi_nor_read_status(WfSfiNor *self, guint8 *status, GCancellable *cancellable, GError **error);
gboolean
wf_sfi_nor_wait_idle(WfSfiNor *self,
		     WfSfiNorOp op,
		     guint32 addr,
		     guint8 *status,
		     GCancellable *cancellable,
		     GError **error);

/* write enable latch and status register */
gboolean
wf_sfi_nor_write_enable(WfSfiNor *self, GCancellable *cancellable, GError **error);
gboolean
wf_sfi_nor_write_disable(WfSfiNor *self, GCancellable *cancellable, GError **error);
gboolean
wf_sfi_nor_write_status(WfSfiNor *self, guint8 status, GCancellable *cancellable, GError **error);
gboolean
wf_sfi_nor_clear_protection(WfSfiNor *self,
			    guint8 *old_status,
			    gchar **note,
			    GCancellable *cancellable,
			    GError **error);

/* erase, program, read */
gboolean
wf_sfi_nor_erase_sector(WfSfiNor *self, guint32 addr, GCancellable *cancellable, GError **error);
gboolean
wf_sfi_nor_erase_block(WfSfiNor *self, guint32 addr, GCancellable *cancellable, GError **error);
gboolean
wf_sfi_nor_program_page(WfSfiNor *self,
			guint32 addr,
			const guint8 *data,
			gsize len,
			GCancellable *cancellable,
			GError **error);
gboolean
wf_sfi_nor_program(WfSfiNor *self,
		   guint32 addr,
		   const guint8 *data,
		   gsize len,
		   WfSfiNorPageFunc func,
		   gpointer user_data,
		   GCancellable *cancellable,
		   GError **error);
gboolean
wf_sfi_nor_read(WfSfiNor *self,
		guint32 addr,
		guint8 *buf,
		gsize len,
		GCancellable *cancellable,
		GError **error);

/* after a failure: leave the flash idle and write-disabled, and say so */
gchar *
wf_sfi_nor_make_safe(WfSfiNor *self);

G_END_DECLS
