/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WF_TYPE_APPLICATION (wf_application_get_type())
G_DECLARE_FINAL_TYPE(WfApplication, wf_application, WF, APPLICATION, AdwApplication)

WfApplication *
wf_application_new(void);
GSettings *
wf_application_get_settings(WfApplication *self);
void
wf_application_show_about(WfApplication *self);
void
wf_application_show_preferences(WfApplication *self);

gchar *
wf_application_dup_backup_folder(GSettings *settings);
gchar *
wf_application_dup_virtual_watch_path(void);
gchar *
wf_application_display_path(const gchar *path);

G_END_DECLS
