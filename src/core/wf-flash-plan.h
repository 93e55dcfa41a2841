/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WF_TYPE_FLASH_PLAN (wf_flash_plan_get_type())
G_DECLARE_FINAL_TYPE(WfFlashPlan, wf_flash_plan, WF, FLASH_PLAN, GObject)

/*
 * What a write will do to a watch's flash, decided and checked before a
 * single byte moves (users.md §5 "plan before you touch"): the regions to
 * write, each with its source and SHA-256, and the regions kept. Built from
 * a full backup image (restore, whole or only the 64 KiB blocks that
 * differ) or from firmware files described by their GFH FILE_INFO. The
 * safety rules are separate functions that return a #GError saying what is
 * wrong and why; wf_flash_plan_check() runs them all.
 */

#define WF_FLASH_PLAN_BLOCK_SIZE 0x10000
/* MT6261 flash window: load addresses 0x1xxxxxxx map to flash offsets */
#define WF_FLASH_PLAN_ADDR_MASK 0x07FFFFFF
/* where the verified header block layout puts the first bootloader
 * (firmware-formats.md §2.2); its FILE_INFO load address is in SRAM */
#define WF_FLASH_PLAN_BOOTLOADER_OFFSET 0x800

typedef enum {
	WF_FLASH_REGION_KIND_BOOT_HEADER, /* SF_BOOT + BRLYT at offset 0 (and, for a restore, block
					     0) */
	WF_FLASH_REGION_KIND_BOOTLOADER,  /* ARM_BL, ARM_EXT_BL */
	WF_FLASH_REGION_KIND_MAIN,	  /* MAUI ROM, VIVA, customer bins */
	WF_FLASH_REGION_KIND_FS_TAIL,	  /* file system: NVRAM, IMEI, calibration, pairings */
} WfFlashRegionKind;

typedef enum {
	WF_FLASH_PLAN_OVERRIDE_NONE = 0,
	/* expert: write although no verified backup of this watch exists */
	WF_FLASH_PLAN_OVERRIDE_NO_BACKUP = 1 << 0,
	/* expert: let firmware files replace the file-system tail (loses IMEI,
	 * calibration, pairings). Another watch's backup is never allowed there. */
	WF_FLASH_PLAN_OVERRIDE_ERASE_FS = 1 << 1,
} WfFlashPlanOverride;

typedef struct {
	gchar *name;
	guint32 offset; /* flash offset */
	guint32 length;
	WfFlashRegionKind kind;
	guint16 file_type;    /* GFH file_type, 0 for backup blocks */
	gchar *source;	      /* file it comes from */
	GBytes *data;	      /* exactly @length bytes */
	gchar *sha256;	      /* of @data */
	gboolean from_backup; /* comes from the plan's backup image */
} WfFlashRegion;

/* one firmware file, as the package parser describes it */
typedef struct {
	const gchar *name;
	const gchar *path; /* (nullable) read when @data is NULL */
	GBytes *data;	   /* (nullable) */
	guint16 file_type; /* FILE_INFO file_type */
	guint32 load_addr; /* FILE_INFO load_addr */
	guint32 file_len;  /* FILE_INFO file_len */
} WfFlashPlanFile;

const gchar *
wf_flash_region_kind_to_string(WfFlashRegionKind kind);

WfFlashPlan *
wf_flash_plan_new(void);

/* what is known about the watch and its backup */
void
wf_flash_plan_set_watch(WfFlashPlan *self,
			guint16 hw_code,
			const gchar *me_id,
			const gchar *jedec_id,
			guint32 flash_size);
void
wf_flash_plan_set_target_chip(WfFlashPlan *self, guint16 hw_code);
void
wf_flash_plan_set_backup(WfFlashPlan *self,
			 const gchar *me_id,
			 const gchar *jedec_id,
			 const gchar *sha256,
			 gboolean verified);
void
wf_flash_plan_set_fs_region(WfFlashPlan *self, guint32 offset, guint32 length, const gchar *source);
void
wf_flash_plan_set_overrides(WfFlashPlan *self, WfFlashPlanOverride overrides);

/* building */
gboolean
wf_flash_plan_add_restore(WfFlashPlan *self,
			  GBytes *image,
			  const gchar *source,
			  GBytes *current,
			  const gchar *const *current_block_sha256,
			  GError **error);
gboolean
wf_flash_plan_add_file(WfFlashPlan *self, const WfFlashPlanFile *file, GError **error);
gboolean
wf_flash_plan_add_region(WfFlashPlan *self,
			 const gchar *name,
			 guint32 offset,
			 GBytes *data,
			 WfFlashRegionKind kind,
			 const gchar *source,
			 GError **error);

/* safety rules */
gboolean
wf_flash_plan_check_overlaps(WfFlashPlan *self, GError **error);
gboolean
wf_flash_plan_check_flash_end(WfFlashPlan *self, GError **error);
gboolean
wf_flash_plan_check_chip(WfFlashPlan *self, GError **error);
gboolean
wf_flash_plan_check_fs_tail(WfFlashPlan *self, GError **error);
gboolean
wf_flash_plan_check_backup(WfFlashPlan *self, GError **error);
gboolean
wf_flash_plan_check(WfFlashPlan *self, GError **error);

/* results */
GPtrArray *
wf_flash_plan_get_regions(WfFlashPlan *self);
GPtrArray *
wf_flash_plan_get_kept(WfFlashPlan *self);
guint64
wf_flash_plan_get_write_size(WfFlashPlan *self);
gchar *
wf_flash_plan_to_text(WfFlashPlan *self);
JsonNode *
wf_flash_plan_to_json(WfFlashPlan *self);

G_END_DECLS
