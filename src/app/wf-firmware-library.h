/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The firmware packages the user added to the application (folders, .cfg
 * files, archives), remembered by path in one JSON file. Nothing is copied:
 * a package that moved is shown as missing. No GTK here.
 */

#define WF_TYPE_FIRMWARE_LIBRARY (wf_firmware_library_get_type())
G_DECLARE_FINAL_TYPE(WfFirmwareLibrary, wf_firmware_library, WF, FIRMWARE_LIBRARY, GObject)

WfFirmwareLibrary *
wf_firmware_library_new(const gchar *path);
gchar *
wf_firmware_library_get_default_path(void);
gboolean
wf_firmware_library_load(WfFirmwareLibrary *self, GError **error);
gboolean
wf_firmware_library_add(WfFirmwareLibrary *self, const gchar *package, GError **error);
gboolean
wf_firmware_library_remove(WfFirmwareLibrary *self, const gchar *package, GError **error);
gboolean
wf_firmware_library_contains(WfFirmwareLibrary *self, const gchar *package);
GPtrArray *
wf_firmware_library_get_packages(WfFirmwareLibrary *self);

G_END_DECLS
