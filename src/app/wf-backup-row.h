/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wf-backup.h"

G_BEGIN_DECLS

#define WF_TYPE_BACKUP_ROW (wf_backup_row_get_type())
G_DECLARE_FINAL_TYPE(WfBackupRow, wf_backup_row, WF, BACKUP_ROW, AdwActionRow)

GtkWidget *
wf_backup_row_new(WfBackup *backup);
WfBackup *
wf_backup_row_get_backup(WfBackupRow *self);
gboolean
wf_backup_is_verified(WfBackup *backup);
void
wf_show_in_files(GFile *file);

G_END_DECLS
