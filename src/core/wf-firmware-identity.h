/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-cfg.h"
#include "wf-component-hints.h"
#include "wf-rom-identity.h"

G_BEGIN_DECLS

#define WF_TYPE_FIRMWARE_IDENTITY (wf_firmware_identity_get_type())
G_DECLARE_FINAL_TYPE(WfFirmwareIdentity, wf_firmware_identity, WF, FIRMWARE_IDENTITY, GObject)

/*
 * One summary of "what firmware is this", whatever it was read from (a
 * full-flash dump, a ROM file, a firmware package): the build identity
 * (firmware-formats.md §3.1), the flash ids it supports, where its parts
 * sit and the component hints of its version string (§3.3). It is what
 * backup.json records, what `inspect` prints and what the device-profile
 * matcher compares; its JSON shape is documented in docs/formats.md.
 * WfDump and WfFirmwarePackage fill it in; nothing here reads files.
 */

#define WF_FIRMWARE_IDENTITY_FORMAT_VERSION 1

typedef enum {
	WF_FIRMWARE_IDENTITY_KIND_UNKNOWN,
	WF_FIRMWARE_IDENTITY_KIND_DUMP,	   /* a whole-flash image */
	WF_FIRMWARE_IDENTITY_KIND_ROM,	   /* one GFH binary, usually the MAUI ROM */
	WF_FIRMWARE_IDENTITY_KIND_PACKAGE, /* a .cfg and its binaries */
} WfFirmwareIdentityKind;

const gchar *
wf_firmware_identity_kind_to_string(WfFirmwareIdentityKind kind);

WfFirmwareIdentity *
wf_firmware_identity_new(WfFirmwareIdentityKind kind);

/* filling in (by WfDump and WfFirmwarePackage) */
void
wf_firmware_identity_set_rom_identity(WfFirmwareIdentity *self, WfRomIdentity *rom);
void
wf_firmware_identity_set_cfg(WfFirmwareIdentity *self, WfCfg *cfg);
void
wf_firmware_identity_set_image(WfFirmwareIdentity *self, GBytes *image);
void
wf_firmware_identity_set_header_block(WfFirmwareIdentity *self, const gchar *state);
void
wf_firmware_identity_set_offset(WfFirmwareIdentity *self, const gchar *part, guint32 offset);
void
wf_firmware_identity_set_fs_region(WfFirmwareIdentity *self, guint32 base, guint32 size);
void
wf_firmware_identity_set_compression(WfFirmwareIdentity *self, gboolean lzma, gboolean alice);
void
wf_firmware_identity_scan_image(WfFirmwareIdentity *self,
				const gchar *region,
				const guint8 *buf,
				gsize bufsz);
void
wf_firmware_identity_add_warning(WfFirmwareIdentity *self, const gchar *warning);

/* reading */
WfFirmwareIdentityKind
wf_firmware_identity_get_kind(WfFirmwareIdentity *self);
const gchar *
wf_firmware_identity_get_platform(WfFirmwareIdentity *self);
const gchar *
wf_firmware_identity_get_cfg_platform(WfFirmwareIdentity *self);
const gchar *
wf_firmware_identity_get(WfFirmwareIdentity *self, WfRomIdentityField field);
WfRomIdentity *
wf_firmware_identity_get_rom_identity(WfFirmwareIdentity *self);
GPtrArray *
wf_firmware_identity_get_flash_ids(WfFirmwareIdentity *self);
GPtrArray *
wf_firmware_identity_get_cfg_flash_ids(WfFirmwareIdentity *self);
WfComponentHints *
wf_firmware_identity_get_hints(WfFirmwareIdentity *self);
gboolean
wf_firmware_identity_get_offset(WfFirmwareIdentity *self, const gchar *part, guint32 *offset);
gboolean
wf_firmware_identity_get_fs_region(WfFirmwareIdentity *self, guint32 *base, guint32 *size);
gboolean
wf_firmware_identity_has_alice(WfFirmwareIdentity *self);
const gchar *
wf_firmware_identity_get_sha256(WfFirmwareIdentity *self);
GPtrArray *
wf_firmware_identity_get_warnings(WfFirmwareIdentity *self);
JsonNode *
wf_firmware_identity_to_json(WfFirmwareIdentity *self);
gchar *
wf_firmware_identity_to_text(WfFirmwareIdentity *self);

gchar *
wf_firmware_identity_format_flash_id(const guint8 *id, guint id_len);

G_END_DECLS
