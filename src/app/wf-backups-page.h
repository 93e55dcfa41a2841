/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wf-backup.h"

G_BEGIN_DECLS

#define WF_TYPE_BACKUPS_PAGE (wf_backups_page_get_type())
G_DECLARE_FINAL_TYPE(WfBackupsPage, wf_backups_page, WF, BACKUPS_PAGE, AdwBin)

GtkWidget *
wf_backups_page_new(void);
void
wf_backups_page_set_folder(WfBackupsPage *self, const gchar *folder);
const gchar *
wf_backups_page_get_folder(WfBackupsPage *self);
void
wf_backups_page_reload(WfBackupsPage *self);
guint
wf_backups_page_get_n_backups(WfBackupsPage *self);
guint
wf_backups_page_get_n_groups(WfBackupsPage *self);
WfBackup *
wf_backups_page_get_latest_for_me_id(WfBackupsPage *self, const gchar *me_id);
GtkWidget *
wf_backups_page_get_row_for_dir(WfBackupsPage *self, const gchar *dir);
void
wf_backups_page_flush_deletions(WfBackupsPage *self);

gboolean
wf_delete_recursive(GFile *file, GCancellable *cancellable, GError **error);

G_END_DECLS
