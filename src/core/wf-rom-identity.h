/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-boot-header.h"
#include "wf-gfh.h"

G_BEGIN_DECLS

#define WF_TYPE_ROM_IDENTITY (wf_rom_identity_get_type())
G_DECLARE_FINAL_TYPE(WfRomIdentity, wf_rom_identity, WF, ROM_IDENTITY, GObject)

/*
 * Who built a MAUI ROM, for which platform and project (firmware-formats.md
 * §3.1): read from a ROM file or from a full flash dump. The GFH MAUI_INFO
 * record is trusted first, then the MTK_ROMINFO block, then plain strings
 * in the ROM (branch, "<project>_HW", build date, MMI base).
 */

/* 128 Mbit is the largest flash these watches have; leave room for
 * concatenated dumps but refuse anything absurd */
#define WF_ROM_IDENTITY_MAX_SIZE (64 * 1024 * 1024)

/* where a field came from, strongest first */
typedef enum {
	WF_ROM_IDENTITY_SOURCE_NONE,
	WF_ROM_IDENTITY_SOURCE_GFH,	 /* MAUI_INFO record */
	WF_ROM_IDENTITY_SOURCE_ROMINFO,	 /* MTK_ROMINFO_vNN block */
	WF_ROM_IDENTITY_SOURCE_BIN_NAME, /* derived from the bin name */
	WF_ROM_IDENTITY_SOURCE_STRINGS,	 /* a string found in the ROM */
} WfRomIdentitySource;

typedef enum {
	WF_ROM_IDENTITY_FIELD_PLATFORM,	    /* "MT6261" */
	WF_ROM_IDENTITY_FIELD_BIN_NAME,	    /* MAUI bin name */
	WF_ROM_IDENTITY_FIELD_VERNO,	    /* "1418B01SIM868M32_EAT" */
	WF_ROM_IDENTITY_FIELD_BRANCH,	    /* "11CW1352MP" */
	WF_ROM_IDENTITY_FIELD_PROJECT,	    /* "GPLUS61A_11C_NX9" */
	WF_ROM_IDENTITY_FIELD_HW_VER,	    /* "SIMCOM03D_MOD_11C_HW" */
	WF_ROM_IDENTITY_FIELD_BUILD_DATE,   /* "2017/01/10 10:05" */
	WF_ROM_IDENTITY_FIELD_MMI_BASE,	    /* "PLUTO_MMI" */
	WF_ROM_IDENTITY_FIELD_PLATFORM_TAG, /* "MT6261PRO" */
	WF_ROM_IDENTITY_FIELD_LAST
} WfRomIdentityField;

const gchar *
wf_rom_identity_field_to_string(WfRomIdentityField field);
const gchar *
wf_rom_identity_source_to_string(WfRomIdentitySource source);
gboolean
wf_rom_identity_split_bin_name(const gchar *bin_name, gchar **platform, gchar **verno);

WfRomIdentity *
wf_rom_identity_new(void);
gboolean
wf_rom_identity_parse(WfRomIdentity *self, GBytes *blob, GError **error);
WfRomIdentity *
wf_rom_identity_new_from_bytes(GBytes *blob, GError **error);

const gchar *
wf_rom_identity_get(WfRomIdentity *self, WfRomIdentityField field);
WfRomIdentitySource
wf_rom_identity_get_source(WfRomIdentity *self, WfRomIdentityField field);
const gchar *
wf_rom_identity_get_platform(WfRomIdentity *self);
const gchar *
wf_rom_identity_get_bin_name(WfRomIdentity *self);
const gchar *
wf_rom_identity_get_verno(WfRomIdentity *self);
const gchar *
wf_rom_identity_get_branch(WfRomIdentity *self);
const gchar *
wf_rom_identity_get_project(WfRomIdentity *self);
const gchar *
wf_rom_identity_get_hw_ver(WfRomIdentity *self);
const gchar *
wf_rom_identity_get_build_date(WfRomIdentity *self);

gsize
wf_rom_identity_get_rom_offset(WfRomIdentity *self);
WfGfh *
wf_rom_identity_get_rom_gfh(WfRomIdentity *self);
WfBootHeader *
wf_rom_identity_get_boot_header(WfRomIdentity *self);
gsize
wf_rom_identity_get_rominfo_offset(WfRomIdentity *self);
const gchar *
wf_rom_identity_get_rominfo_version(WfRomIdentity *self);
GPtrArray *
wf_rom_identity_get_warnings(WfRomIdentity *self);
JsonNode *
wf_rom_identity_to_json(WfRomIdentity *self);

G_END_DECLS
