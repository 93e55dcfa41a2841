/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-boot-header.h"
#include "wf-cfg.h"
#include "wf-firmware-package.h"
#include "wf-knowledge-table.h"

G_BEGIN_DECLS

/*
 * What matching and the compatibility verdict need to know about a
 * firmware, whatever it came from: a full flash dump, a bare MAUI ROM
 * file or a firmware package (WfFirmwarePackage: a folder, a .cfg in one,
 * or an archive). Plain data, so any producer can fill it; unknown numbers
 * are %WF_FIRMWARE_FACTS_UNKNOWN, unknown strings %NULL, unknown lists
 * empty.
 */

#define WF_FIRMWARE_FACTS_UNKNOWN (-1)

/* the XIP window: flash offset = load address - this (firmware-formats.md §2.1) */
#define WF_FIRMWARE_FACTS_FLASH_BASE 0x10000000u
#define WF_FIRMWARE_FACTS_FLASH_MAX  0x01000000u

typedef enum {
	WF_FIRMWARE_KIND_UNKNOWN,
	WF_FIRMWARE_KIND_DUMP,	  /* a whole flash read back: header block … FS tail */
	WF_FIRMWARE_KIND_ROM,	  /* a MAUI ROM file on its own */
	WF_FIRMWARE_KIND_PACKAGE, /* a firmware package: cfg + BOOTLOADER, ROM, VIVA … */
} WfFirmwareKind;

/* an LCD, touch, panel or model token the firmware names */
typedef struct {
	gchar *category; /* "lcd", "touch", "panel", "model", "board", "module" */
	gchar *token;	 /* as written: "7789HSD", "ST7789V" */
	gchar *part;	 /* (nullable): the components table's part, "ST7789" */
	gchar *origin;	 /* "verno", "bin-name" or "image:ROM" */
} WfFirmwareComponent;

typedef struct {
	gchar *origin; /* the file or folder it was read from */
	WfFirmwareKind kind;
	guint64 size; /* bytes of the input */

	/* build identity (WfRomIdentity) */
	gchar *platform; /* "MT6261" */
	gchar *bin_name;
	gchar *verno;
	gchar *branch;	       /* "11CW1352MP" */
	gchar *project;	       /* base project, "GPLUS61A_11C_NX9" */
	gchar *project_source; /* "branch" or "bin-name" */
	gchar *hw_ver;	       /* "<project>_HW" */
	gchar *build_date;     /* "YYYY/MM/DD HH:MM", or "YYYY-MM-DD" from the VERNO */

	/* serial-flash chips the firmware supports: JEDEC ids (gint64, 0xC86017) */
	GArray *flash_ids;     /* from the ROM's CMEM_ID_INFO */
	GArray *cfg_flash_ids; /* from the cfg's external_memory list */

	/* layout: flash offsets */
	gint64 image_end; /* highest flash offset the firmware occupies + 1 */
	WfBootHeaderState header_state;
	gint64 main_region; /* BRLYT main_region_dev_addr */
	gint64 bl_offset;
	gint64 ext_bl_offset;
	gint64 rom_offset;
	gint64 rom_len;
	gint64 fs_base; /* FLASH_INFO file system (NVRAM, user data) */
	gint64 fs_size;

	GPtrArray *components; /* (element-type WfFirmwareComponent) */
	GPtrArray *warnings;   /* (element-type utf8) */
} WfFirmwareFacts;

const gchar *
wf_firmware_kind_to_string(WfFirmwareKind kind);

WfFirmwareFacts *
wf_firmware_facts_new(const gchar *origin, WfFirmwareKind kind);
WfFirmwareFacts *
wf_firmware_facts_new_from_bytes(GBytes *blob,
				 const gchar *origin,
				 WfKnowledgeTable *components,
				 GError **error);
WfFirmwareFacts *
wf_firmware_facts_new_from_package(WfFirmwarePackage *package,
				   const gchar *origin,
				   WfKnowledgeTable *components,
				   GError **error);
WfFirmwareFacts *
wf_firmware_facts_new_from_file(const gchar *path, WfKnowledgeTable *components, GError **error);
void
wf_firmware_facts_free(WfFirmwareFacts *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WfFirmwareFacts, wf_firmware_facts_free)

void
wf_firmware_facts_add_cfg(WfFirmwareFacts *self, WfCfg *cfg);
void
wf_firmware_facts_add_component(WfFirmwareFacts *self,
				const gchar *category,
				const gchar *token,
				const gchar *part,
				const gchar *origin);
void
wf_firmware_facts_add_version_string(WfFirmwareFacts *self,
				     WfKnowledgeTable *components,
				     const gchar *origin,
				     const gchar *text);
void
wf_firmware_facts_scan_image(WfFirmwareFacts *self,
			     WfKnowledgeTable *components,
			     const gchar *region,
			     const guint8 *buf,
			     gsize bufsz);

GPtrArray *
wf_firmware_facts_get_components(const WfFirmwareFacts *self, const gchar *category);
gboolean
wf_firmware_facts_has_flash_id(GArray *ids, gint64 jedec);
gchar *
wf_firmware_facts_get_date(const WfFirmwareFacts *self);
JsonNode *
wf_firmware_facts_to_json(const WfFirmwareFacts *self);

G_END_DECLS
