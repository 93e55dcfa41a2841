/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wf-activity-log.h"
#include "wf-application.h"
#include "wf-backups-page.h"
#include "wf-connection.h"
#include "wf-firmware-page.h"
#include "wf-flash-dialog.h"
#include "wf-inspect-page.h"
#include "wf-log-page.h"
#include "wf-watch-page.h"

G_BEGIN_DECLS

#define WF_TYPE_WINDOW (wf_window_get_type())
G_DECLARE_FINAL_TYPE(WfWindow, wf_window, WF, WINDOW, AdwApplicationWindow)

WfWindow *
wf_window_new(WfApplication *app);
WfWatchPage *
wf_window_get_watch_page(WfWindow *self);
WfBackupsPage *
wf_window_get_backups_page(WfWindow *self);
WfLogPage *
wf_window_get_log_page(WfWindow *self);
WfConnection *
wf_window_get_connection(WfWindow *self);
WfActivityLog *
wf_window_get_activity_log(WfWindow *self);
void
wf_window_show_page(WfWindow *self, const gchar *name);
const gchar *
wf_window_get_page(WfWindow *self);
void
wf_window_start_virtual_watch(WfWindow *self);
gboolean
wf_window_export_report_to_file(WfWindow *self, GFile *file, GError **error);
gboolean
wf_window_is_inhibiting(WfWindow *self);
AdwMessageDialog *
wf_window_get_close_dialog(WfWindow *self);
WfFirmwarePage *
wf_window_get_firmware_page(WfWindow *self);
WfInspectPage *
wf_window_get_inspect_page(WfWindow *self);
WfFlashDialog *
wf_window_get_flash_dialog(WfWindow *self);
gboolean
wf_window_split_backup(WfWindow *self,
		       const gchar *backup_dir,
		       const gchar *out_dir,
		       GError **error);

G_END_DECLS
