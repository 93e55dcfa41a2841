/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-brom.h"
#include "wf-device-info.h"
#include "wf-progress.h"

G_BEGIN_DECLS

/*
 * A backup is a folder:
 *   flash.bin     the whole flash, byte-exact
 *   backup.json   who, what, how: chip ids, ME ID, JEDEC id, size, method,
 *                 SHA-256, tool version, times, link statistics
 *   wire.log      optional
 * It is written under a temporary ".partial" name, fsync'ed, and renamed
 * only when complete and verified, so a folder without that suffix is always
 * a complete backup.
 */

#define WF_TYPE_BACKUP (wf_backup_get_type())
G_DECLARE_FINAL_TYPE(WfBackup, wf_backup, WF, BACKUP, GObject)

typedef enum {
	WF_BACKUP_FLAG_NONE = 0,
	WF_BACKUP_FLAG_RESUME = 1 << 0, /* continue DIR.partial */
} WfBackupFlags;

#define WF_BACKUP_PARTIAL_SUFFIX ".partial"

/* making one (BROM READ32 path, protocol.md §3.9) */
WfBackup *
wf_backup_create(WfBrom *brom,
		 WfDeviceInfo *info,
		 const gchar *dir,
		 WfBackupFlags flags,
		 WfProgress *progress,
		 GCancellable *cancellable,
		 GError **error);

/* reading one */
WfBackup *
wf_backup_load(const gchar *dir, GError **error);
gboolean
wf_backup_verify(WfBackup *self, GCancellable *cancellable, GError **error);

const gchar *
wf_backup_get_dir(WfBackup *self);
gchar *
wf_backup_get_image_path(WfBackup *self);
const gchar *
wf_backup_get_sha256(WfBackup *self);
guint64
wf_backup_get_flash_size(WfBackup *self);
const gchar *
wf_backup_get_me_id(WfBackup *self); /* 32 hex digits */
const gchar *
wf_backup_get_jedec_id(WfBackup *self); /* "C86017" */
const gchar *
wf_backup_get_chip(WfBackup *self);
GDateTime *
wf_backup_get_created(WfBackup *self);
JsonObject *
wf_backup_get_record(WfBackup *self); /* the whole backup.json */

G_END_DECLS
