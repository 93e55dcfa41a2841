/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-cfg.h"
#include "wf-firmware-identity.h"
#include "wf-flash-plan.h"
#include "wf-gfh.h"
#include "wf-rom-identity.h"

G_BEGIN_DECLS

#define WF_TYPE_FIRMWARE_PACKAGE (wf_firmware_package_get_type())
G_DECLARE_FINAL_TYPE(WfFirmwarePackage, wf_firmware_package, WF, FIRMWARE_PACKAGE, GObject)

/*
 * A firmware package as people download or keep it (firmware-formats.md
 * §1.2, §1.4, §1.5): an SP Flash Tool ".cfg" and the binaries it names, in
 * a folder or in a .zip / .7z / .rar (or .tar) archive. Archives are read
 * with libarchive straight into memory, never extracted to disk. Every
 * file the cfg lists for the boot and main regions must be there; its GFH
 * FILE_INFO says where it goes and how long it is. A folder written by
 * wf_dump_split() also carries a manifest with the raw regions of the dump
 * (file-system tail, other bytes) so that the dump can be rebuilt exactly.
 */

/* bounds for untrusted archives */
#define WF_FIRMWARE_PACKAGE_MAX_ENTRIES	   4096
#define WF_FIRMWARE_PACKAGE_MAX_FILE_SIZE  (32 * 1024 * 1024)
#define WF_FIRMWARE_PACKAGE_MAX_TOTAL_SIZE (64 * 1024 * 1024)
#define WF_FIRMWARE_PACKAGE_MAX_TEXT_SIZE  (4 * 1024 * 1024)
#define WF_FIRMWARE_PACKAGE_MAX_DEPTH	   8

/* the raw regions a split manifest can add */
#define WF_FIRMWARE_PACKAGE_ROLE_GFH	      "gfh"
#define WF_FIRMWARE_PACKAGE_ROLE_HEADER_BLOCK "header-block"
#define WF_FIRMWARE_PACKAGE_ROLE_FS_TAIL      "fs-tail"
#define WF_FIRMWARE_PACKAGE_ROLE_EXTRA	      "extra"

typedef struct {
	gchar *name;	    /* as the cfg (or the manifest) writes it */
	gchar *path;	    /* where it was found in the package, '/'-separated */
	WfCfgRegion region; /* WF_CFG_REGION_LAST for raw regions */
	const gchar *role;  /* WF_FIRMWARE_PACKAGE_ROLE_* */
	WfFlashRegionKind kind;
	GBytes *data; /* the whole file */
	gboolean has_file_info;
	WfGfhFileInfo file_info;
	guint32 offset;	       /* flash offset, as wf_flash_plan_add_file() places it */
	guint32 length;	       /* bytes that go to flash: file_len, or the raw file's size */
	guint32 source_offset; /* where the split's source dump had it (= offset otherwise) */
	gchar *sha256;	       /* of the @length bytes */
} WfFirmwarePackageFile;

typedef enum {
	WF_FIRMWARE_PACKAGE_PLAN_DEFAULT = 0,	   /* the cfg's boot and main region files */
	WF_FIRMWARE_PACKAGE_PLAN_FS_TAIL = 1 << 0, /* and a split's file-system tail */
	WF_FIRMWARE_PACKAGE_PLAN_EXTRA = 1 << 1,   /* and a split's other raw regions */
} WfFirmwarePackagePlanFlags;

gboolean
wf_firmware_package_is_archive(const guint8 *buf, gsize bufsz);
gboolean
wf_firmware_package_platform_matches(const gchar *a, const gchar *b);

WfFirmwarePackage *
wf_firmware_package_new(void);
void
wf_firmware_package_set_cfg_name(WfFirmwarePackage *self, const gchar *cfg_name);
gboolean
wf_firmware_package_load(WfFirmwarePackage *self, const gchar *path, GError **error);
gboolean
wf_firmware_package_load_archive_bytes(WfFirmwarePackage *self, GBytes *archive, GError **error);
WfFirmwarePackage *
wf_firmware_package_new_from_path(const gchar *path, GError **error);

const gchar *
wf_firmware_package_get_container(WfFirmwarePackage *self);
const gchar *
wf_firmware_package_get_cfg_path(WfFirmwarePackage *self);
GPtrArray *
wf_firmware_package_get_other_cfgs(WfFirmwarePackage *self);
WfCfg *
wf_firmware_package_get_cfg(WfFirmwarePackage *self);
GPtrArray *
wf_firmware_package_get_files(WfFirmwarePackage *self);
const WfFirmwarePackageFile *
wf_firmware_package_find_file(WfFirmwarePackage *self, const gchar *name);
const WfFirmwarePackageFile *
wf_firmware_package_get_rom(WfFirmwarePackage *self);
WfRomIdentity *
wf_firmware_package_get_rom_identity(WfFirmwarePackage *self);
WfFirmwareIdentity *
wf_firmware_package_get_identity(WfFirmwarePackage *self);
guint32
wf_firmware_package_get_end(WfFirmwarePackage *self);
guint32
wf_firmware_package_get_flash_size(WfFirmwarePackage *self);
const gchar *
wf_firmware_package_get_header_block(WfFirmwarePackage *self);
GArray *
wf_firmware_package_get_plan_files(WfFirmwarePackage *self, WfFirmwarePackagePlanFlags flags);
gboolean
wf_firmware_package_check_flash_size(WfFirmwarePackage *self, guint32 flash_size, GError **error);
GPtrArray *
wf_firmware_package_get_skipped(WfFirmwarePackage *self);
GPtrArray *
wf_firmware_package_get_warnings(WfFirmwarePackage *self);
JsonNode *
wf_firmware_package_to_json(WfFirmwarePackage *self);

G_END_DECLS
