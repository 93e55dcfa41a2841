/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wf-boot-header.h"
#include "wf-firmware-identity.h"
#include "wf-firmware-package.h"
#include "wf-lzma.h"
#include "wf-rom-identity.h"
#include "wf-secret-codes.h"

G_BEGIN_DECLS

#define WF_TYPE_DUMP (wf_dump_get_type())
G_DECLARE_FINAL_TYPE(WfDump, wf_dump, WF, DUMP, GObject)

/*
 * A full-flash dump (a backup's flash.bin, an SP Flash Tool "ROM_0"
 * readback) or a single MAUI binary, taken apart (firmware-formats.md §2):
 * header block, the GFH files of the boot and main regions, VIVA and its
 * compressed parts, the file-system/NVRAM tail from FLASH_INFO, erased
 * gaps and any other bytes. wf_dump_split() writes it out as a firmware
 * package that SP Flash Tool and Wristflash accept; wf_dump_rebuild() puts
 * a package back together byte for byte.
 */

/* 128 Mbit is the largest flash on these watches */
#define WF_DUMP_MAX_SIZE (16 * 1024 * 1024)
/* decoded LZMA parts are kept for code scans up to this size each */
#define WF_DUMP_MAX_DECODED (16 * 1024 * 1024)
/* non-erased bytes outside every known region become at most this many files */
#define WF_DUMP_MAX_EXTRAS 32
/* erased runs shorter than this inside "other" data do not split it */
#define WF_DUMP_EXTRA_MERGE_GAP 0x1000

/* the file the split writes next to the cfg (see docs/formats.md) */
#define WF_DUMP_MANIFEST_NAME	"wristflash-split.json"
#define WF_DUMP_MANIFEST_FORMAT 1

typedef enum {
	WF_DUMP_KIND_FULL, /* a whole-flash image */
	WF_DUMP_KIND_FILE, /* one GFH binary (ROM, VIVA, a bootloader …) */
} WfDumpKind;

typedef enum {
	WF_DUMP_REGION_HEADER_BLOCK,   /* SF_BOOT + BRLYT, up to the first bootloader */
	WF_DUMP_REGION_BOOTLOADER,     /* ARM_BL */
	WF_DUMP_REGION_EXT_BOOTLOADER, /* ARM_EXT_BL */
	WF_DUMP_REGION_ROM,	       /* primary MAUI */
	WF_DUMP_REGION_VIVA,	       /* VIVA container */
	WF_DUMP_REGION_MAIN,	       /* another main-region GFH file */
	WF_DUMP_REGION_FS,	       /* file system / NVRAM, from FLASH_INFO */
	WF_DUMP_REGION_FREE,	       /* erased (0xFF) bytes outside the above */
	WF_DUMP_REGION_OTHER,	       /* non-erased bytes outside every known region */
} WfDumpRegionKind;

typedef struct {
	WfDumpRegionKind kind;
	gchar *name;	/* "BOOTLOADER", "ROM", "VIVA", "THIRD_ROM", "FS", … */
	guint32 offset; /* flash offset (file offset for a single binary) */
	guint32 length;
	guint16 file_type; /* GFH file_type, 0 for other regions */
	guint32 load_addr; /* FILE_INFO load_addr, 0 for other regions */
	gboolean erased;   /* every byte is 0xFF */
} WfDumpRegion;

typedef struct {
	gchar *name;	       /* "ZIMAGE partition 0", "ALICE_2" */
	gchar *format;	       /* "LZMA", "LZMA (ALICE preset)", "ALICE_2", "DCM" */
	guint32 offset;	       /* of the compressed data */
	guint32 length;	       /* compressed size, 0 when unknown */
	guint64 unpacked_size; /* announced, 0 when unknown */
	gboolean decoded;      /* decoded completely here */
	WfLzmaStatus status;   /* for LZMA parts */
	GBytes *output;	       /* (nullable) what was decoded, possibly partial */
} WfDumpCompressedPart;

typedef enum {
	WF_DUMP_REBUILD_FLAG_NONE = 0,
	/* reproduce the source exactly, even a missing header block; without it
	 * a missing header block is generated (the image is repaired) */
	WF_DUMP_REBUILD_FLAG_EXACT = 1 << 0,
} WfDumpRebuildFlags;

const gchar *
wf_dump_region_kind_to_string(WfDumpRegionKind kind);

WfDump *
wf_dump_new(void);
gboolean
wf_dump_parse(WfDump *self, GBytes *image, GError **error);
WfDump *
wf_dump_new_from_bytes(GBytes *image, GError **error);
WfDump *
wf_dump_new_from_file(const gchar *filename, GError **error);

WfDumpKind
wf_dump_get_kind(WfDump *self);
GBytes *
wf_dump_get_bytes(WfDump *self);
WfRomIdentity *
wf_dump_get_rom_identity(WfDump *self);
WfBootHeader *
wf_dump_get_boot_header(WfDump *self);
WfBootHeaderState
wf_dump_get_header_block_state(WfDump *self);
GPtrArray *
wf_dump_get_regions(WfDump *self);
const WfDumpRegion *
wf_dump_get_region(WfDump *self, WfDumpRegionKind kind);
gboolean
wf_dump_get_fs_region(WfDump *self, guint32 *base, guint32 *size);
guint64
wf_dump_get_free_bytes(WfDump *self);
GPtrArray *
wf_dump_get_compressed_parts(WfDump *self);
WfFirmwareIdentity *
wf_dump_get_identity(WfDump *self);
GPtrArray *
wf_dump_get_warnings(WfDump *self);
JsonNode *
wf_dump_to_json(WfDump *self);
void
wf_dump_scan_codes(WfDump *self, WfSecretCodes *codes);

gboolean
wf_dump_split(WfDump *self, const gchar *dir, GError **error);
GBytes *
wf_dump_rebuild(WfFirmwarePackage *package,
		guint32 flash_size,
		WfDumpRebuildFlags flags,
		GError **error);

G_END_DECLS
