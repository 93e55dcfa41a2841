/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wf-backup.h"
#include "wf-brom.h"
#include "wf-device-info.h"
#include "wf-flash-plan.h"
#include "wf-progress.h"
#include "wf-sfi-nor.h"

G_BEGIN_DECLS

/*
 * Writes regions of the flash through the SFI controller, with no Download
 * Agent (docs/sfi-write.md): per 64 KiB block it erases the whole block when
 * all of it changes and only the differing 4 KiB sectors otherwise, programs
 * the pages that need it, and verifies everything it wrote by reading it back
 * through the boot ROM's memory window (SHA-256 per region; a mismatch is
 * read again through SFI 0x03 before it counts). Sectors that already hold
 * the right bytes are not touched, so restoring a backup onto a watch that
 * differs in one block rewrites that block only.
 */

#define WF_TYPE_SFI_WRITER (wf_sfi_writer_get_type())
G_DECLARE_FINAL_TYPE(WfSfiWriter, wf_sfi_writer, WF, SFI_WRITER, GObject)

typedef enum {
	/* read what the watch holds and write only the sectors that differ */
	WF_SFI_WRITER_MODE_DIFF,
	/* erase and program every sector the regions touch, without looking */
	WF_SFI_WRITER_MODE_FULL,
} WfSfiWriterMode;

typedef enum {
	WF_SFI_WRITER_FLAG_NONE = 0,
	/* leave the flash's block protection cleared afterwards (it is set back
	 * to what it was by default) */
	WF_SFI_WRITER_FLAG_KEEP_UNPROTECTED = 1 << 0,
	/* read every region back, also the sectors that were not written */
	WF_SFI_WRITER_FLAG_VERIFY_ALL = 1 << 1,
} WfSfiWriterFlags;

/**
 * WfSfiWriterStats:
 * @sectors_total: 4 KiB sectors the regions touch
 * @sectors_unchanged: ... that already held the right bytes
 * @sectors_program_only: ... that only needed bits cleared (no erase)
 * @sectors_erased: 4 KiB erases
 * @blocks_erased: 64 KiB erases
 * @pages_programmed: page programs
 * @pages_skipped: pages left alone because they are all 0xFF after an erase
 * @page_retries: page batches sent again
 * @sectors_rewritten: sectors written a second time after a failed verify
 * @window_mismatches: sectors the memory window read wrong but SFI 0x03 right
 * @bytes_compared: bytes read from the watch before writing
 * @bytes_verified: bytes read back after writing
 * @seconds_compare: time spent reading what the watch holds
 * @seconds_write: time spent erasing and programming
 * @seconds_verify: time spent reading back
 * @seconds_total: the whole run
 */
typedef struct {
	guint sectors_total;
	guint sectors_unchanged;
	guint sectors_program_only;
	guint sectors_erased;
	guint blocks_erased;
	guint pages_programmed;
	guint pages_skipped;
	guint page_retries;
	guint sectors_rewritten;
	guint window_mismatches;
	guint64 bytes_compared;
	guint64 bytes_verified;
	gdouble seconds_compare;
	gdouble seconds_write;
	gdouble seconds_verify;
	gdouble seconds_total;
} WfSfiWriterStats;

WfSfiWriter *
wf_sfi_writer_new(WfBrom *brom, guint32 flash_size);
WfSfiNor *
wf_sfi_writer_get_nor(WfSfiWriter *self);
void
wf_sfi_writer_set_mode(WfSfiWriter *self, WfSfiWriterMode mode);
void
wf_sfi_writer_set_flags(WfSfiWriter *self, WfSfiWriterFlags flags);
void
wf_sfi_writer_set_progress(WfSfiWriter *self, WfProgress *progress);
void
wf_sfi_writer_set_current(WfSfiWriter *self, GBytes *current);

gboolean
wf_sfi_writer_add_region(
	WfSfiWriter *self, const gchar *name, guint32 offset, GBytes *data, GError **error);
gboolean
wf_sfi_writer_add_plan(WfSfiWriter *self, WfFlashPlan *plan, GError **error);

gboolean
wf_sfi_writer_run(WfSfiWriter *self, GCancellable *cancellable, GError **error);

const WfSfiWriterStats *
wf_sfi_writer_get_stats(WfSfiWriter *self);
GPtrArray *
wf_sfi_writer_get_notes(WfSfiWriter *self);
gchar *
wf_sfi_writer_describe_written(WfSfiWriter *self);
guint
wf_sfi_writer_get_n_regions(WfSfiWriter *self);
const gchar *
wf_sfi_writer_get_region_sha256(WfSfiWriter *self, guint idx);
const gchar *
wf_sfi_writer_get_readback_sha256(WfSfiWriter *self, guint idx);

/* restoring a backup */
typedef enum {
	WF_SFI_RESTORE_FLAG_NONE = 0,
	/* expert: restore although the backup's ME ID, JEDEC id or size is not
	 * this watch's */
	WF_SFI_RESTORE_FLAG_ANY_WATCH = 1 << 0,
	/* erase and program the whole image instead of only what differs */
	WF_SFI_RESTORE_FLAG_FULL = 1 << 1,
	/* leave block protection cleared afterwards */
	WF_SFI_RESTORE_FLAG_KEEP_UNPROTECTED = 1 << 2,
} WfSfiRestoreFlags;

gboolean
wf_sfi_restore_backup(WfBrom *brom,
		      WfDeviceInfo *info,
		      WfBackup *backup,
		      WfSfiRestoreFlags flags,
		      WfProgress *progress,
		      WfSfiWriter **writer_out,
		      GCancellable *cancellable,
		      GError **error);

G_END_DECLS
