/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-backup.h"
#include "wf-brom.h"
#include "wf-compat.h"
#include "wf-da-file.h"
#include "wf-device-info.h"
#include "wf-flash-history.h"
#include "wf-flash-plan.h"
#include "wf-progress.h"

G_BEGIN_DECLS

/*
 * The operations that write to a watch — restore a backup, flash firmware
 * files, erase a range — from a caught and identified boot ROM to a verified
 * result in the history (docs/flashing.md):
 *
 *   prepare: load and check the inputs (a backup is hashed before use), read
 *            what the watch holds where it matters, build the WfFlashPlan,
 *            run its safety rules, choose SFI or the Download Agent;
 *   run:     write only what differs, block by block; read every written
 *            block back and compare SHA-256s; reset the watch; record it.
 *
 * Synchronous, for one worker thread. Cancelling lets the block being
 * written finish, then stops and says what was written.
 */

#define WF_TYPE_FLASH_JOB (wf_flash_job_get_type())
G_DECLARE_FINAL_TYPE(WfFlashJob, wf_flash_job, WF, FLASH_JOB, GObject)

/* the unit of writing, verifying and cancelling */
#define WF_FLASH_JOB_BLOCK_SIZE 0x10000
/* the unit of comparing: only differing 4 KiB sectors are written */
#define WF_FLASH_JOB_SECTOR_SIZE 0x1000
/* DA writes go out in D3+D5 rounds of at most this many bytes */
#define WF_FLASH_JOB_DA_ROUND_SIZE (4 * WF_FLASH_JOB_BLOCK_SIZE)

typedef enum {
	WF_FLASH_JOB_KIND_RESTORE,
	WF_FLASH_JOB_KIND_FLASH,
	WF_FLASH_JOB_KIND_ERASE,
} WfFlashJobKind;

typedef enum {
	WF_FLASH_METHOD_AUTO,
	WF_FLASH_METHOD_SFI, /* boot-ROM register access to the flash controller (§3.11) */
	WF_FLASH_METHOD_DA,  /* MediaTek's Download Agent, D3 MEM + D5 WRITE (§5.7) */
} WfFlashMethod;

typedef enum {
	WF_FLASH_JOB_FLAG_NONE = 0,
	WF_FLASH_JOB_FLAG_DRY_RUN = 1 << 0, /* run() refuses; prepare() is all there is */
	WF_FLASH_JOB_FLAG_FULL = 1 << 1,    /* restore: rewrite every block, compare nothing */
	/* restore: the backup may be of another watch; this watch's file system
	 * (IMEI, calibration, pairings) is kept */
	WF_FLASH_JOB_FLAG_OTHER_WATCH = 1 << 2,
	/* write although no verified backup of this watch exists */
	WF_FLASH_JOB_FLAG_NO_BACKUP = 1 << 3,
	/* erase/flash: the file-system tail may be erased or overwritten */
	WF_FLASH_JOB_FLAG_INCLUDE_FS = 1 << 4,
	/* leave the watch in the boot ROM (or the DA) at the end instead of
	 * resetting it */
	WF_FLASH_JOB_FLAG_NO_RESET = 1 << 5,
	/* flash: the user confirmed a firmware the compatibility check calls risky */
	WF_FLASH_JOB_FLAG_ACCEPT_RISKY = 1 << 6,
} WfFlashJobFlags;

typedef enum {
	WF_FLASH_WRITE_STATE_PENDING,  /* not written */
	WF_FLASH_WRITE_STATE_WRITTEN,  /* written, not verified yet */
	WF_FLASH_WRITE_STATE_VERIFIED, /* read back equal */
	WF_FLASH_WRITE_STATE_MISMATCH, /* read back different */
} WfFlashWriteState;

/* one piece of flash the job writes: within one 64 KiB block, whole 4 KiB sectors */
typedef struct {
	guint32 offset;
	guint32 length;
	GBytes *data;
	gchar *sha256;
	WfFlashWriteState state;
	guint32 first_difference; /* flash offset, when @state is MISMATCH */
} WfFlashWrite;

/**
 * WfFlashJobReconnectFunc:
 *
 * Called when the job must start over in the boot ROM (the Download Agent
 * turned out unable to write, so the watch was reset): wait for the watch
 * and return a handshaken boot ROM session, or %NULL.
 */
typedef WfBrom *(*WfFlashJobReconnectFunc)(gpointer user_data,
					   GCancellable *cancellable,
					   GError **error);

const gchar *
wf_flash_method_to_string(WfFlashMethod method);
gboolean
wf_flash_method_from_string(const gchar *text, WfFlashMethod *method, GError **error);
const gchar *
wf_flash_job_kind_to_string(WfFlashJobKind kind);
const gchar *
wf_flash_write_state_to_string(WfFlashWriteState state);

WfFlashJob *
wf_flash_job_new(WfFlashJobKind kind);
void
wf_flash_job_set_device(WfFlashJob *self, WfBrom *brom, WfDeviceInfo *info);
void
wf_flash_job_set_method(WfFlashJob *self, WfFlashMethod method);
void
wf_flash_job_set_flags(WfFlashJob *self, WfFlashJobFlags flags);
void
wf_flash_job_set_backup_dir(WfFlashJob *self, const gchar *dir);
void
wf_flash_job_set_backups_folder(WfFlashJob *self, const gchar *folder);
void
wf_flash_job_set_package(WfFlashJob *self, const gchar *path);
void
wf_flash_job_set_erase_range(WfFlashJob *self, guint32 offset, guint32 length);
void
wf_flash_job_set_da_file(WfFlashJob *self, const gchar *path, const WfDaFlatLayout *flat);
void
wf_flash_job_set_da_packet_size(WfFlashJob *self, guint32 packet_size);
void
wf_flash_job_set_history(WfFlashJob *self, WfFlashHistory *history);
void
wf_flash_job_set_reconnect_func(WfFlashJob *self,
				WfFlashJobReconnectFunc func,
				gpointer user_data,
				GDestroyNotify destroy);

gchar *
wf_flash_job_get_default_backups_folder(void);
WfBackup *
wf_flash_job_find_backup(const gchar *folder,
			 const gchar *me_id,
			 const gchar *jedec_id,
			 GCancellable *cancellable,
			 GError **error);

gboolean
wf_flash_job_prepare(WfFlashJob *self,
		     WfProgress *progress,
		     GCancellable *cancellable,
		     GError **error);
gboolean
wf_flash_job_run(WfFlashJob *self, WfProgress *progress, GCancellable *cancellable, GError **error);

/* what prepare() decided */
WfFlashJobKind
wf_flash_job_get_kind(WfFlashJob *self);
WfFlashPlan *
wf_flash_job_get_plan(WfFlashJob *self);
WfFlashMethod
wf_flash_job_get_method(WfFlashJob *self);
const gchar *
wf_flash_job_get_method_reason(WfFlashJob *self);
GPtrArray *
wf_flash_job_get_writes(WfFlashJob *self);
guint64
wf_flash_job_get_write_size(WfFlashJob *self);
WfBackup *
wf_flash_job_get_backup(WfFlashJob *self);
GPtrArray *
wf_flash_job_get_notes(WfFlashJob *self);
gboolean
wf_flash_job_is_up_to_date(WfFlashJob *self);
WfCompat *
wf_flash_job_get_compat(WfFlashJob *self);

/* how it ended */
const gchar *
wf_flash_job_get_result(WfFlashJob *self);
gdouble
wf_flash_job_get_seconds(WfFlashJob *self);
gchar *
wf_flash_job_get_outcome_text(WfFlashJob *self);
JsonNode *
wf_flash_job_to_json(WfFlashJob *self);

G_END_DECLS
