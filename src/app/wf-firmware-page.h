/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wf-device-info.h"
#include "wf-firmware-library.h"
#include "wf-flash-feedback.h"
#include "wf-flash-history.h"

G_BEGIN_DECLS

#define WF_TYPE_FIRMWARE_PAGE (wf_firmware_page_get_type())
G_DECLARE_FINAL_TYPE(WfFirmwarePage, wf_firmware_page, WF, FIRMWARE_PAGE, AdwBin)

void
wf_firmware_page_setup(WfFirmwarePage *self,
		       WfFirmwareLibrary *library,
		       WfFlashHistory *history,
		       WfFlashFeedback *feedback);
void
wf_firmware_page_set_watch(WfFirmwarePage *self, WfDeviceInfo *info, const gchar *backup_dir);
gboolean
wf_firmware_page_add(WfFirmwarePage *self, const gchar *path, GError **error);
void
wf_firmware_page_reload(WfFirmwarePage *self);

guint
wf_firmware_page_get_n_packages(WfFirmwarePage *self);
const gchar *
wf_firmware_page_get_verdict(WfFirmwarePage *self, const gchar *path);
guint
wf_firmware_page_get_n_history_rows(WfFirmwarePage *self);
gchar *
wf_firmware_page_get_history_text(WfFirmwarePage *self, guint idx);

G_END_DECLS
