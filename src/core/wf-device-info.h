/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-brom.h"

G_BEGIN_DECLS

/*
 * Who the watch is: chip ids from the boot ROM (protocol.md §3.6), the
 * flash's JEDEC id through SFI (§3.11) and the flash size, with the method
 * that gave it.
 */

#define WF_TYPE_DEVICE_INFO (wf_device_info_get_type())
G_DECLARE_FINAL_TYPE(WfDeviceInfo, wf_device_info, WF, DEVICE_INFO, GObject)

/* values of wf_device_info_get_flash_size_method() */
#define WF_DEVICE_INFO_SIZE_METHOD_JEDEC    "jedec"
#define WF_DEVICE_INFO_SIZE_METHOD_MIRROR   "mirror"
#define WF_DEVICE_INFO_SIZE_METHOD_OVERRIDE "override"

/* addresses read by identification */
#define WF_DEVICE_INFO_REG_HW_VERSION 0x80000000
#define WF_DEVICE_INFO_REG_SW_VERSION 0x80000004
#define WF_DEVICE_INFO_REG_HW_CODE    0x80000008
#define WF_DEVICE_INFO_REG_HW_SUBCODE 0x8000000C
#define WF_DEVICE_INFO_REG_EFUSE      0xA01C0108

gboolean
wf_device_info_identify(WfBrom *brom,
			guint32 flash_size_override,
			WfDeviceInfo **out,
			GCancellable *cancellable,
			GError **error);

WfDeviceInfo *
wf_device_info_new(void);

const gchar *
wf_device_info_get_chip(WfDeviceInfo *self);
gboolean
wf_device_info_get_chip_known(WfDeviceInfo *self);
guint16
wf_device_info_get_hw_code(WfDeviceInfo *self);
guint16
wf_device_info_get_hw_version(WfDeviceInfo *self);
guint16
wf_device_info_get_sw_version(WfDeviceInfo *self);
guint16
wf_device_info_get_hw_subcode(WfDeviceInfo *self);
guint16
wf_device_info_get_efuse_version(WfDeviceInfo *self);
guint8
wf_device_info_get_brom_version(WfDeviceInfo *self);
guint8
wf_device_info_get_bl_version(WfDeviceInfo *self);
guint32
wf_device_info_get_target_config(WfDeviceInfo *self);
const guint8 *
wf_device_info_get_me_id(WfDeviceInfo *self); /* 16 bytes */
const gchar *
wf_device_info_get_me_id_string(WfDeviceInfo *self); /* 32 lowercase hex digits */

gboolean
wf_device_info_has_jedec_id(WfDeviceInfo *self);
const guint8 *
wf_device_info_get_jedec_id(WfDeviceInfo *self); /* 3 bytes, or NULL */
const gchar *
wf_device_info_get_jedec_id_string(WfDeviceInfo *self); /* "C86017", or NULL */
const gchar *
wf_device_info_get_flash_part(WfDeviceInfo *self); /* "GD25LQ64", or NULL */
guint32
wf_device_info_get_flash_size(WfDeviceInfo *self);
const gchar *
wf_device_info_get_flash_size_method(WfDeviceInfo *self);

JsonNode *
wf_device_info_to_json(WfDeviceInfo *self);

/* helpers, public for the CLI and tests */
const gchar *
wf_device_info_chip_name(guint16 hw_code, guint16 hw_version, guint16 efuse_version);
const gchar *
wf_device_info_flash_part_for_jedec(const guint8 id[3]);
guint32
wf_device_info_flash_size_for_jedec(const guint8 id[3]);

G_END_DECLS
