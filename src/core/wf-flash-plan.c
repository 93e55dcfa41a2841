/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-flash-plan.h"

#include <string.h>

#include "wf-error.h"

/* FILE_INFO file types the plan treats specially (firmware-formats.md §2.3) */
#define WF_FLASH_FILE_ARM_BL	  0x0001
#define WF_FLASH_FILE_ARM_EXT_BL  0x0002
#define WF_FLASH_FILE_FILE_SYSTEM 0x0480

/* the flash window the CPU sees in normal running (remap 3) */
#define WF_FLASH_WINDOW_BASE 0x10000000
#define WF_FLASH_WINDOW_END  0x18000000

struct _WfFlashPlan {
	GObject parent_instance;
	GPtrArray *regions; /* (element-type WfFlashRegion), sorted by offset */
	/* the watch */
	guint16 watch_hw_code;
	gchar *watch_me_id;
	gchar *watch_jedec;
	guint32 flash_size;
	/* what the files or the backup were made for */
	guint16 target_hw_code;
	/* the backup of this watch the caller holds */
	gchar *backup_me_id;
	gchar *backup_jedec;
	gchar *backup_sha256;
	gboolean backup_verified;
	/* the image a restore was built from */
	gchar *restore_sha256;
	/* file-system tail */
	gboolean has_fs;
	guint32 fs_offset;
	guint32 fs_length;
	gchar *fs_source;
	WfFlashPlanOverride overrides;
};

G_DEFINE_FINAL_TYPE(WfFlashPlan, wf_flash_plan, G_TYPE_OBJECT)

static void
wf_flash_region_free(WfFlashRegion *region)
{
	g_free(region->name);
	g_free(region->source);
	g_free(region->sha256);
	if (region->data != NULL)
		g_bytes_unref(region->data);
	g_free(region);
}

const gchar *
wf_flash_region_kind_to_string(WfFlashRegionKind kind)
{
	switch (kind) {
	case WF_FLASH_REGION_KIND_BOOT_HEADER:
		return "boot-header";
	case WF_FLASH_REGION_KIND_BOOTLOADER:
		return "bootloader";
	case WF_FLASH_REGION_KIND_MAIN:
		return "main";
	case WF_FLASH_REGION_KIND_FS_TAIL:
		return "fs-tail";
	default:
		return "unknown";
	}
}

static void
wf_flash_plan_finalize(GObject *object)
{
	WfFlashPlan *self = WF_FLASH_PLAN(object);

	g_ptr_array_unref(self->regions);
	g_free(self->watch_me_id);
	g_free(self->watch_jedec);
	g_free(self->backup_me_id);
	g_free(self->backup_jedec);
	g_free(self->backup_sha256);
	g_free(self->restore_sha256);
	g_free(self->fs_source);
	G_OBJECT_CLASS(wf_flash_plan_parent_class)->finalize(object);
}

static void
wf_flash_plan_class_init(WfFlashPlanClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_flash_plan_finalize;
}

static void
wf_flash_plan_init(WfFlashPlan *self)
{
	self->regions = g_ptr_array_new_with_free_func((GDestroyNotify)wf_flash_region_free);
}

WfFlashPlan *
wf_flash_plan_new(void)
{
	return g_object_new(WF_TYPE_FLASH_PLAN, NULL);
}

/* identities are hex strings; compare them without case or spaces */
static gchar *
wf_flash_plan_normalize_id(const gchar *id)
{
	GString *str;

	if (id == NULL || id[0] == '\0')
		return NULL;
	str = g_string_new(NULL);
	for (const gchar *p = id; *p != '\0'; p++) {
		if (!g_ascii_isspace(*p))
			g_string_append_c(str, g_ascii_toupper(*p));
	}
	return g_string_free(str, FALSE);
}

/**
 * wf_flash_plan_set_watch:
 * @self: a #WfFlashPlan
 * @hw_code: the connected watch's chip code (0x80000008), 0 if unknown
 * @me_id: (nullable): its ME ID as hex
 * @jedec_id: (nullable): its flash's JEDEC id, "C86017"
 * @flash_size: its flash size in bytes, 0 if unknown
 */
void
wf_flash_plan_set_watch(WfFlashPlan *self,
			guint16 hw_code,
			const gchar *me_id,
			const gchar *jedec_id,
			guint32 flash_size)
{
	g_return_if_fail(WF_IS_FLASH_PLAN(self));
	self->watch_hw_code = hw_code;
	g_free(self->watch_me_id);
	self->watch_me_id = wf_flash_plan_normalize_id(me_id);
	g_free(self->watch_jedec);
	self->watch_jedec = wf_flash_plan_normalize_id(jedec_id);
	self->flash_size = flash_size;
}

/**
 * wf_flash_plan_set_target_chip:
 * @self: a #WfFlashPlan
 * @hw_code: the chip the firmware (or the backup) was made for, 0 if unknown
 */
void
wf_flash_plan_set_target_chip(WfFlashPlan *self, guint16 hw_code)
{
	g_return_if_fail(WF_IS_FLASH_PLAN(self));
	self->target_hw_code = hw_code;
}

/**
 * wf_flash_plan_set_backup:
 * @self: a #WfFlashPlan
 * @me_id: (nullable): the ME ID the backup was taken from
 * @jedec_id: (nullable): the flash JEDEC id it records
 * @sha256: (nullable): the image's recorded SHA-256
 * @verified: whether the backup passed its verification (two matching reads)
 *
 * The backup that protects this write. A restore also takes its image from it.
 */
void
wf_flash_plan_set_backup(WfFlashPlan *self,
			 const gchar *me_id,
			 const gchar *jedec_id,
			 const gchar *sha256,
			 gboolean verified)
{
	g_return_if_fail(WF_IS_FLASH_PLAN(self));
	g_free(self->backup_me_id);
	self->backup_me_id = wf_flash_plan_normalize_id(me_id);
	g_free(self->backup_jedec);
	self->backup_jedec = wf_flash_plan_normalize_id(jedec_id);
	g_free(self->backup_sha256);
	self->backup_sha256 = sha256 != NULL ? g_ascii_strdown(sha256, -1) : NULL;
	self->backup_verified = verified;
}

/**
 * wf_flash_plan_set_fs_region:
 * @self: a #WfFlashPlan
 * @offset: flash offset of the file system (NVRAM, IMEI, calibration, pairings)
 * @length: its size
 * @source: (nullable): where this came from, e.g. "F0" or "FLASH_INFO"
 */
void
wf_flash_plan_set_fs_region(WfFlashPlan *self, guint32 offset, guint32 length, const gchar *source)
{
	g_return_if_fail(WF_IS_FLASH_PLAN(self));
	self->has_fs = length > 0;
	self->fs_offset = offset;
	self->fs_length = length;
	g_free(self->fs_source);
	self->fs_source = g_strdup(source);
}

/**
 * wf_flash_plan_set_overrides:
 * @self: a #WfFlashPlan
 * @overrides: expert overrides the user named explicitly
 */
void
wf_flash_plan_set_overrides(WfFlashPlan *self, WfFlashPlanOverride overrides)
{
	g_return_if_fail(WF_IS_FLASH_PLAN(self));
	self->overrides = overrides;
}

static gint
wf_flash_plan_compare_regions(gconstpointer a, gconstpointer b)
{
	const WfFlashRegion *ra = *(const WfFlashRegion *const *)a;
	const WfFlashRegion *rb = *(const WfFlashRegion *const *)b;
	return ra->offset < rb->offset ? -1 : ra->offset > rb->offset ? 1 : 0;
}

static gboolean
wf_flash_plan_overlaps_fs(WfFlashPlan *self, guint64 offset, guint64 length)
{
	return self->has_fs && offset < (guint64)self->fs_offset + self->fs_length &&
	       self->fs_offset < offset + length;
}

static void
wf_flash_plan_take_region(WfFlashPlan *self,
			  const gchar *name,
			  guint32 offset,
			  GBytes *data,
			  WfFlashRegionKind kind,
			  guint16 file_type,
			  const gchar *source,
			  gboolean from_backup)
{
	WfFlashRegion *region = g_new0(WfFlashRegion, 1);

	region->name = g_strdup(name);
	region->offset = offset;
	region->length = (guint32)g_bytes_get_size(data);
	region->kind = kind;
	region->file_type = file_type;
	region->source = g_strdup(source);
	region->data = data;
	region->sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, data);
	region->from_backup = from_backup;
	g_ptr_array_add(self->regions, region);
	g_ptr_array_sort(self->regions, wf_flash_plan_compare_regions);
}

/* a restore's block kinds: block 0 holds the header and both bootloaders */
static WfFlashRegionKind
wf_flash_plan_block_kind(WfFlashPlan *self, guint32 offset)
{
	if (offset == 0)
		return WF_FLASH_REGION_KIND_BOOT_HEADER;
	if (wf_flash_plan_overlaps_fs(self, offset, WF_FLASH_PLAN_BLOCK_SIZE))
		return WF_FLASH_REGION_KIND_FS_TAIL;
	return WF_FLASH_REGION_KIND_MAIN;
}

static const gchar *
wf_flash_plan_restore_name(WfFlashRegionKind kind)
{
	switch (kind) {
	case WF_FLASH_REGION_KIND_BOOT_HEADER:
		return "boot block (header and bootloaders)";
	case WF_FLASH_REGION_KIND_FS_TAIL:
		return "file system (NVRAM, IMEI, pairings)";
	default:
		return "firmware blocks";
	}
}

static gboolean
wf_flash_plan_block_differs(const guint8 *image,
			    const guint8 *current,
			    const gchar *const *current_block_sha256,
			    guint block)
{
	gsize off = (gsize)block * WF_FLASH_PLAN_BLOCK_SIZE;
	g_autofree gchar *sha256 = NULL;

	if (current != NULL)
		return memcmp(image + off, current + off, WF_FLASH_PLAN_BLOCK_SIZE) != 0;
	if (current_block_sha256 == NULL)
		return TRUE;
	sha256 = g_compute_checksum_for_data(
		G_CHECKSUM_SHA256, image + off, WF_FLASH_PLAN_BLOCK_SIZE);
	return g_ascii_strcasecmp(sha256, current_block_sha256[block]) != 0;
}

/**
 * wf_flash_plan_add_restore:
 * @self: a #WfFlashPlan
 * @image: a full backup image (flash.bin)
 * @source: (nullable): its file name, for the plan's text
 * @current: (nullable): what the watch holds now, same size, for a
 *   differential restore
 * @current_block_sha256: (nullable) (array zero-terminated=1): instead of
 *   @current, the SHA-256 of each of the watch's 64 KiB blocks
 * @error: (out): return location
 *
 * Plans to write the image back in 64 KiB blocks: all of them, or only those
 * that differ from @current / @current_block_sha256. Consecutive blocks of
 * the same kind become one region. The image counts as "the backup" for the
 * safety rules, so wf_flash_plan_set_backup() should describe it.
 */
gboolean
wf_flash_plan_add_restore(WfFlashPlan *self,
			  GBytes *image,
			  const gchar *source,
			  GBytes *current,
			  const gchar *const *current_block_sha256,
			  GError **error)
{
	gsize size = 0;
	const guint8 *buf;
	const guint8 *cur = NULL;
	guint n_blocks;
	guint run_start = 0;
	gboolean in_run = FALSE;
	WfFlashRegionKind run_kind = WF_FLASH_REGION_KIND_MAIN;

	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), FALSE);
	g_return_val_if_fail(image != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	buf = g_bytes_get_data(image, &size);
	if (size == 0 || size % WF_FLASH_PLAN_BLOCK_SIZE != 0 || size > G_MAXUINT32) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "a backup image of %" G_GSIZE_FORMAT " bytes is not a whole number of "
			    "64 KiB blocks",
			    size);
		return FALSE;
	}
	n_blocks = size / WF_FLASH_PLAN_BLOCK_SIZE;
	if (current != NULL) {
		gsize cur_size = 0;
		cur = g_bytes_get_data(current, &cur_size);
		if (cur_size != size) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "the watch's contents (%" G_GSIZE_FORMAT
				    " bytes) and the backup "
				    "(%" G_GSIZE_FORMAT " bytes) differ in size",
				    cur_size,
				    size);
			return FALSE;
		}
	} else if (current_block_sha256 != NULL &&
		   g_strv_length((gchar **)current_block_sha256) != n_blocks) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "%u block checksums given for a backup of %u blocks",
			    g_strv_length((gchar **)current_block_sha256),
			    n_blocks);
		return FALSE;
	}

	g_free(self->restore_sha256);
	self->restore_sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, image);
	for (guint block = 0; block <= n_blocks; block++) {
		gboolean differs = FALSE;
		WfFlashRegionKind kind = WF_FLASH_REGION_KIND_MAIN;

		if (block < n_blocks) {
			differs =
				wf_flash_plan_block_differs(buf, cur, current_block_sha256, block);
			kind = wf_flash_plan_block_kind(self, block * WF_FLASH_PLAN_BLOCK_SIZE);
		}
		/* close the current run at a gap, a kind change or the end */
		if (in_run && (!differs || kind != run_kind)) {
			gsize off = (gsize)run_start * WF_FLASH_PLAN_BLOCK_SIZE;
			gsize len = (gsize)(block - run_start) * WF_FLASH_PLAN_BLOCK_SIZE;
			wf_flash_plan_take_region(self,
						  wf_flash_plan_restore_name(run_kind),
						  (guint32)off,
						  g_bytes_new_from_bytes(image, off, len),
						  run_kind,
						  0,
						  source,
						  TRUE);
			in_run = FALSE;
		}
		if (differs && !in_run) {
			in_run = TRUE;
			run_start = block;
			run_kind = kind;
		}
	}
	return TRUE;
}

/* FILE_INFO load address → flash offset (§4.4: WAYBYTE masks with
 * 0x07FFFFFF); the first bootloader runs from SRAM, so its load address
 * says nothing about where it lives in flash */
static gboolean
wf_flash_plan_file_offset(const WfFlashPlanFile *file, guint32 *offset, GError **error)
{
	if (file->load_addr < (WF_FLASH_PLAN_ADDR_MASK + 1u) ||
	    (file->load_addr >= WF_FLASH_WINDOW_BASE && file->load_addr < WF_FLASH_WINDOW_END)) {
		*offset = file->load_addr & WF_FLASH_PLAN_ADDR_MASK;
		return TRUE;
	}
	if (file->file_type == WF_FLASH_FILE_ARM_BL) {
		*offset = WF_FLASH_PLAN_BOOTLOADER_OFFSET;
		return TRUE;
	}
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_FILE,
		    "%s: load address 0x%08X is not in the flash",
		    file->name != NULL ? file->name : "file",
		    file->load_addr);
	return FALSE;
}

static GBytes *
wf_flash_plan_load_file(const WfFlashPlanFile *file, GError **error)
{
	g_autoptr(GMappedFile) mapped = NULL;
	g_autoptr(GError) error_local = NULL;

	if (file->data != NULL)
		return g_bytes_ref(file->data);
	if (file->path == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "%s: neither data nor a file name",
			    file->name != NULL ? file->name : "file");
		return NULL;
	}
	mapped = g_mapped_file_new(file->path, FALSE, &error_local);
	if (mapped == NULL) {
		g_set_error(error, WF_ERROR, WF_ERROR_READ, "%s", error_local->message);
		return NULL;
	}
	return g_mapped_file_get_bytes(mapped);
}

/**
 * wf_flash_plan_add_file:
 * @self: a #WfFlashPlan
 * @file: a firmware file and its FILE_INFO fields
 * @error: (out): return location
 *
 * Plans to write @file_len bytes of the file at load_addr & 0x07FFFFFF.
 */
gboolean
wf_flash_plan_add_file(WfFlashPlan *self, const WfFlashPlanFile *file, GError **error)
{
	g_autoptr(GBytes) data = NULL;
	guint32 offset = 0;
	WfFlashRegionKind kind = WF_FLASH_REGION_KIND_MAIN;
	const gchar *name;

	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), FALSE);
	g_return_val_if_fail(file != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	name = file->name != NULL ? file->name : "file";
	if (file->file_len == 0) {
		g_set_error(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s: FILE_INFO says 0 bytes", name);
		return FALSE;
	}
	if (!wf_flash_plan_file_offset(file, &offset, error))
		return FALSE;
	data = wf_flash_plan_load_file(file, error);
	if (data == NULL)
		return FALSE;
	if (g_bytes_get_size(data) < file->file_len) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is %" G_GSIZE_FORMAT " bytes but its FILE_INFO says %u: the file "
			    "is truncated",
			    name,
			    g_bytes_get_size(data),
			    file->file_len);
		return FALSE;
	}
	if ((guint64)offset + file->file_len > G_MAXUINT32) {
		g_set_error(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s does not fit any flash", name);
		return FALSE;
	}
	if (file->file_type == WF_FLASH_FILE_ARM_BL || file->file_type == WF_FLASH_FILE_ARM_EXT_BL)
		kind = WF_FLASH_REGION_KIND_BOOTLOADER;
	else if (file->file_type == WF_FLASH_FILE_FILE_SYSTEM ||
		 wf_flash_plan_overlaps_fs(self, offset, file->file_len))
		kind = WF_FLASH_REGION_KIND_FS_TAIL;
	wf_flash_plan_take_region(self,
				  name,
				  offset,
				  g_bytes_new_from_bytes(data, 0, file->file_len),
				  kind,
				  file->file_type,
				  file->path != NULL ? file->path : name,
				  FALSE);
	return TRUE;
}

/**
 * wf_flash_plan_add_region:
 * @self: a #WfFlashPlan
 * @name: what to call it
 * @offset: flash offset
 * @data: the bytes
 * @kind: what it is
 * @source: (nullable): where it comes from
 * @error: (out): return location
 *
 * Plans to write bytes made elsewhere, e.g. a generated header block.
 */
gboolean
wf_flash_plan_add_region(WfFlashPlan *self,
			 const gchar *name,
			 guint32 offset,
			 GBytes *data,
			 WfFlashRegionKind kind,
			 const gchar *source,
			 GError **error)
{
	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), FALSE);
	g_return_val_if_fail(name != NULL, FALSE);
	g_return_val_if_fail(data != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (g_bytes_get_size(data) == 0 || (guint64)offset + g_bytes_get_size(data) > G_MAXUINT32) {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, "%s: empty or too long", name);
		return FALSE;
	}
	wf_flash_plan_take_region(self, name, offset, g_bytes_ref(data), kind, 0, source, FALSE);
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* safety rules */

static guint64
wf_flash_region_end(const WfFlashRegion *region)
{
	return (guint64)region->offset + region->length;
}

/**
 * wf_flash_plan_check_overlaps:
 * @self: a #WfFlashPlan
 * @error: (out): return location
 *
 * Two regions must never cover the same bytes: one would silently win.
 */
gboolean
wf_flash_plan_check_overlaps(WfFlashPlan *self, GError **error)
{
	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), FALSE);

	for (guint i = 1; i < self->regions->len; i++) {
		const WfFlashRegion *prev = g_ptr_array_index(self->regions, i - 1);
		const WfFlashRegion *region = g_ptr_array_index(self->regions, i);

		if (wf_flash_region_end(prev) > region->offset) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_REFUSED,
				    "%s (0x%08X–0x%08" G_GINT64_MODIFIER "X) overlaps %s "
				    "(0x%08X–0x%08" G_GINT64_MODIFIER "X): the files do not belong "
				    "to one firmware",
				    prev->name,
				    prev->offset,
				    wf_flash_region_end(prev) - 1,
				    region->name,
				    region->offset,
				    wf_flash_region_end(region) - 1);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * wf_flash_plan_check_flash_end:
 * @self: a #WfFlashPlan
 * @error: (out): return location
 *
 * Nothing may lie past the end of this watch's flash (an image built for a
 * bigger part); the size must be known.
 */
gboolean
wf_flash_plan_check_flash_end(WfFlashPlan *self, GError **error)
{
	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), FALSE);

	if (self->flash_size == 0) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_REFUSED,
				    "the watch's flash size is not known, so the plan cannot be "
				    "checked against it");
		return FALSE;
	}
	for (guint i = 0; i < self->regions->len; i++) {
		const WfFlashRegion *region = g_ptr_array_index(self->regions, i);

		if (wf_flash_region_end(region) > self->flash_size) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_REFUSED,
				    "%s ends at 0x%08" G_GINT64_MODIFIER "X, past the end of this "
				    "watch's %u KiB flash: it was made for a bigger flash chip",
				    region->name,
				    wf_flash_region_end(region) - 1,
				    self->flash_size / 1024);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * wf_flash_plan_check_chip:
 * @self: a #WfFlashPlan
 * @error: (out): return location
 *
 * Firmware for another baseband chip never goes on (SP Flash Tool's
 * BBCHIP_HW_VER_INCORRECT). Both chips must be known.
 */
gboolean
wf_flash_plan_check_chip(WfFlashPlan *self, GError **error)
{
	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), FALSE);

	if (self->watch_hw_code == 0 || self->target_hw_code == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "the %s chip is not known, so the firmware cannot be matched to the "
			    "watch",
			    self->watch_hw_code == 0 ? "watch's" : "firmware's");
		return FALSE;
	}
	if (self->watch_hw_code != self->target_hw_code) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "this firmware is for MT%04X but the watch is MT%04X: it would not "
			    "boot",
			    self->target_hw_code,
			    self->watch_hw_code);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_flash_plan_backup_is_this_watch(WfFlashPlan *self)
{
	return self->watch_me_id != NULL && self->watch_jedec != NULL &&
	       g_strcmp0(self->watch_me_id, self->backup_me_id) == 0 &&
	       g_strcmp0(self->watch_jedec, self->backup_jedec) == 0;
}

/**
 * wf_flash_plan_check_fs_tail:
 * @self: a #WfFlashPlan
 * @error: (out): return location
 *
 * The file-system tail (NVRAM, IMEI, calibration, pairings) is written only
 * from this watch's own backup (same ME ID and flash). Firmware files may
 * replace it only with %WF_FLASH_PLAN_OVERRIDE_ERASE_FS; another watch's
 * backup never. Where the tail is must be known (F0 or FLASH_INFO) unless
 * the plan writes nothing but this watch's own backup.
 */
gboolean
wf_flash_plan_check_fs_tail(WfFlashPlan *self, GError **error)
{
	gboolean own_backup;

	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), FALSE);

	own_backup = wf_flash_plan_backup_is_this_watch(self);
	for (guint i = 0; i < self->regions->len; i++) {
		const WfFlashRegion *region = g_ptr_array_index(self->regions, i);
		gboolean touches;

		if (region->from_backup && own_backup)
			continue;
		if (region->from_backup) {
			/* another watch's blocks may still carry its NVRAM */
			touches = !self->has_fs ||
				  wf_flash_plan_overlaps_fs(self, region->offset, region->length);
			if (touches) {
				g_set_error(error,
					    WF_ERROR,
					    WF_ERROR_REFUSED,
					    "%s comes from another watch's backup and would put "
					    "that watch's IMEI, calibration and pairings on this "
					    "one: only this watch's own backup may go there",
					    region->name);
				return FALSE;
			}
			continue;
		}
		if (!self->has_fs) {
			if ((self->overrides & WF_FLASH_PLAN_OVERRIDE_ERASE_FS) != 0)
				continue;
			g_set_error_literal(
				error,
				WF_ERROR,
				WF_ERROR_REFUSED,
				"where this watch keeps its file system (IMEI, "
				"calibration, pairings) is not known, so the plan cannot "
				"be shown to leave it alone");
			return FALSE;
		}
		touches = wf_flash_plan_overlaps_fs(self, region->offset, region->length);
		if (touches && (self->overrides & WF_FLASH_PLAN_OVERRIDE_ERASE_FS) == 0) {
			g_set_error(
				error,
				WF_ERROR,
				WF_ERROR_REFUSED,
				"%s (0x%08X–0x%08" G_GINT64_MODIFIER "X) would overwrite the file "
				"system at 0x%08X–0x%08" G_GINT64_MODIFIER "X, where this watch "
				"keeps its IMEI, calibration and pairings; only this watch's own "
				"backup may go there",
				region->name,
				region->offset,
				wf_flash_region_end(region) - 1,
				self->fs_offset,
				(guint64)self->fs_offset + self->fs_length - 1);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * wf_flash_plan_check_backup:
 * @self: a #WfFlashPlan
 * @error: (out): return location
 *
 * There must be a verified backup of this exact watch (same ME ID and flash
 * JEDEC id), unless %WF_FLASH_PLAN_OVERRIDE_NO_BACKUP; a restore's image
 * must match the backup's recorded SHA-256.
 */
gboolean
wf_flash_plan_check_backup(WfFlashPlan *self, GError **error)
{
	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), FALSE);

	/* a damaged image is never written, override or not */
	if (self->restore_sha256 != NULL && self->backup_sha256 != NULL &&
	    g_strcmp0(self->restore_sha256, self->backup_sha256) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_VERIFY_FAILED,
			    "the backup image's SHA-256 is %s but the backup recorded %s: the "
			    "image was changed or damaged",
			    self->restore_sha256,
			    self->backup_sha256);
		return FALSE;
	}
	if ((self->overrides & WF_FLASH_PLAN_OVERRIDE_NO_BACKUP) != 0)
		return TRUE;
	if (self->watch_me_id == NULL || self->watch_jedec == NULL) {
		g_set_error_literal(
			error,
			WF_ERROR,
			WF_ERROR_REFUSED,
			"the watch's ME ID and flash id are not known, so no backup can "
			"be matched to it");
		return FALSE;
	}
	if (self->backup_me_id == NULL) {
		g_set_error(
			error,
			WF_ERROR,
			WF_ERROR_REFUSED,
			"there is no backup of this watch (ME ID %s, flash %s): make one first, "
			"it is the only way back if the write goes wrong",
			self->watch_me_id,
			self->watch_jedec);
		return FALSE;
	}
	if (!wf_flash_plan_backup_is_this_watch(self)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_REFUSED,
			    "the backup is of another watch (ME ID %s, flash %s; this watch: ME ID "
			    "%s, flash %s): make a backup of this one first",
			    self->backup_me_id,
			    self->backup_jedec != NULL ? self->backup_jedec : "unknown",
			    self->watch_me_id,
			    self->watch_jedec);
		return FALSE;
	}
	if (!self->backup_verified) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_REFUSED,
				    "the backup of this watch has not been verified: verify it (or "
				    "make a new one) before writing");
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_flash_plan_check:
 * @self: a #WfFlashPlan
 * @error: (out): the first rule the plan breaks
 *
 * Runs every safety rule; a plan that passes may be written.
 */
gboolean
wf_flash_plan_check(WfFlashPlan *self, GError **error)
{
	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), FALSE);

	if (self->regions->len == 0) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "the plan writes nothing: the watch already holds these bytes");
		return FALSE;
	}
	return wf_flash_plan_check_chip(self, error) &&
	       wf_flash_plan_check_flash_end(self, error) &&
	       wf_flash_plan_check_overlaps(self, error) &&
	       wf_flash_plan_check_fs_tail(self, error) && wf_flash_plan_check_backup(self, error);
}

/* ------------------------------------------------------------------------ */
/* results */

/**
 * wf_flash_plan_get_regions:
 * @self: a #WfFlashPlan
 *
 * Returns: (transfer none) (element-type WfFlashRegion): what will be
 * written, by offset
 */
GPtrArray *
wf_flash_plan_get_regions(WfFlashPlan *self)
{
	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), NULL);
	return self->regions;
}

guint64
wf_flash_plan_get_write_size(WfFlashPlan *self)
{
	guint64 total = 0;

	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), 0);
	for (guint i = 0; i < self->regions->len; i++)
		total += ((const WfFlashRegion *)g_ptr_array_index(self->regions, i))->length;
	return total;
}

static void
wf_flash_plan_add_kept(WfFlashPlan *self, GPtrArray *kept, guint64 start, guint64 end)
{
	/* split at the file system's edges so the tail shows on its own */
	while (start < end) {
		guint64 stop = end;
		WfFlashRegionKind kind = WF_FLASH_REGION_KIND_MAIN;
		WfFlashRegion *region;

		if (self->has_fs) {
			guint64 fs_end = (guint64)self->fs_offset + self->fs_length;
			if (start < self->fs_offset)
				stop = MIN(end, self->fs_offset);
			else if (start < fs_end) {
				stop = MIN(end, fs_end);
				kind = WF_FLASH_REGION_KIND_FS_TAIL;
			}
		}
		if (start == 0)
			kind = WF_FLASH_REGION_KIND_BOOT_HEADER;
		region = g_new0(WfFlashRegion, 1);
		region->name = g_strdup(kind == WF_FLASH_REGION_KIND_FS_TAIL
						? "file system (IMEI, calibration, pairings)"
						: "unchanged");
		region->offset = (guint32)start;
		region->length = (guint32)(stop - start);
		region->kind = kind;
		g_ptr_array_add(kept, region);
		start = stop;
	}
}

/**
 * wf_flash_plan_get_kept:
 * @self: a #WfFlashPlan
 *
 * Returns: (transfer container) (element-type WfFlashRegion): the parts of
 * the flash the plan does not touch (with no flash size known: the gaps up
 * to the last written byte)
 */
GPtrArray *
wf_flash_plan_get_kept(WfFlashPlan *self)
{
	GPtrArray *kept = g_ptr_array_new_with_free_func((GDestroyNotify)wf_flash_region_free);
	guint64 pos = 0;
	guint64 end = self->flash_size;

	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), kept);

	for (guint i = 0; i < self->regions->len; i++) {
		const WfFlashRegion *region = g_ptr_array_index(self->regions, i);

		if (region->offset > pos)
			wf_flash_plan_add_kept(self, kept, pos, region->offset);
		pos = MAX(pos, wf_flash_region_end(region));
	}
	if (end == 0 && self->has_fs)
		end = (guint64)self->fs_offset + self->fs_length;
	if (end > pos)
		wf_flash_plan_add_kept(self, kept, pos, end);
	return kept;
}

static gchar *
wf_flash_plan_format_size(guint64 size)
{
	if (size >= 1024 * 1024 && size % (1024 * 1024) == 0)
		return g_strdup_printf("%" G_GUINT64_FORMAT " MiB", size / (1024 * 1024));
	if (size >= 1024 && size % 1024 == 0)
		return g_strdup_printf("%" G_GUINT64_FORMAT " KiB", size / 1024);
	return g_strdup_printf("%" G_GUINT64_FORMAT " bytes", size);
}

static void
wf_flash_plan_text_region(GString *str, const WfFlashRegion *region)
{
	g_autofree gchar *size = wf_flash_plan_format_size(region->length);

	g_string_append_printf(str,
			       "  0x%08X–0x%08" G_GINT64_MODIFIER "X  %9s  %-11s  %s",
			       region->offset,
			       wf_flash_region_end(region) - 1,
			       size,
			       wf_flash_region_kind_to_string(region->kind),
			       region->name);
	if (region->source != NULL)
		g_string_append_printf(str, "\n      from %s", region->source);
	if (region->sha256 != NULL)
		g_string_append_printf(str, "\n      sha256 %s", region->sha256);
	g_string_append_c(str, '\n');
}

/**
 * wf_flash_plan_to_text:
 * @self: a #WfFlashPlan
 *
 * Returns: (transfer full): what the CLI prints before it asks to go ahead
 */
gchar *
wf_flash_plan_to_text(WfFlashPlan *self)
{
	g_autoptr(GString) str = g_string_new(NULL);
	g_autoptr(GPtrArray) kept = NULL;
	g_autofree gchar *flash = NULL;
	g_autofree gchar *total = NULL;

	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), NULL);

	flash = self->flash_size > 0 ? wf_flash_plan_format_size(self->flash_size)
				     : g_strdup("unknown size");
	g_string_append_printf(str,
			       "Watch: %s%04X, ME ID %s, flash %s (%s)\n",
			       self->watch_hw_code != 0 ? "MT" : "chip ",
			       self->watch_hw_code,
			       self->watch_me_id != NULL ? self->watch_me_id : "unknown",
			       self->watch_jedec != NULL ? self->watch_jedec : "unknown",
			       flash);
	if (self->target_hw_code != 0)
		g_string_append_printf(str, "Firmware for: MT%04X\n", self->target_hw_code);
	if (self->backup_me_id != NULL) {
		g_string_append_printf(str,
				       "Backup: %s, %s\n",
				       wf_flash_plan_backup_is_this_watch(self) ? "this watch"
										: "ANOTHER watch",
				       self->backup_verified ? "verified" : "NOT verified");
	} else {
		g_string_append(str, "Backup: none\n");
	}
	if (self->has_fs) {
		g_string_append_printf(
			str,
			"File system (IMEI, calibration, pairings): 0x%08X–0x%08" G_GINT64_MODIFIER
			"X%s%s%s\n",
			self->fs_offset,
			(guint64)self->fs_offset + self->fs_length - 1,
			self->fs_source != NULL ? " (from " : "",
			self->fs_source != NULL ? self->fs_source : "",
			self->fs_source != NULL ? ")" : "");
	}
	total = wf_flash_plan_format_size(wf_flash_plan_get_write_size(self));
	g_string_append_printf(str,
			       "\nWill write %u region%s, %s:\n",
			       self->regions->len,
			       self->regions->len == 1 ? "" : "s",
			       total);
	for (guint i = 0; i < self->regions->len; i++)
		wf_flash_plan_text_region(str, g_ptr_array_index(self->regions, i));
	kept = wf_flash_plan_get_kept(self);
	if (kept->len > 0) {
		g_string_append(str, "\nWill keep:\n");
		for (guint i = 0; i < kept->len; i++)
			wf_flash_plan_text_region(str, g_ptr_array_index(kept, i));
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
wf_flash_plan_json_region(JsonBuilder *builder, const WfFlashRegion *region)
{
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "name");
	json_builder_add_string_value(builder, region->name);
	json_builder_set_member_name(builder, "offset");
	json_builder_add_int_value(builder, region->offset);
	json_builder_set_member_name(builder, "length");
	json_builder_add_int_value(builder, region->length);
	json_builder_set_member_name(builder, "kind");
	json_builder_add_string_value(builder, wf_flash_region_kind_to_string(region->kind));
	if (region->file_type != 0) {
		json_builder_set_member_name(builder, "file_type");
		json_builder_add_int_value(builder, region->file_type);
	}
	if (region->source != NULL) {
		json_builder_set_member_name(builder, "source");
		json_builder_add_string_value(builder, region->source);
	}
	if (region->sha256 != NULL) {
		json_builder_set_member_name(builder, "sha256");
		json_builder_add_string_value(builder, region->sha256);
		json_builder_set_member_name(builder, "from_backup");
		json_builder_add_boolean_value(builder, region->from_backup);
	}
	json_builder_end_object(builder);
}

static void
wf_flash_plan_json_string(JsonBuilder *builder, const gchar *key, const gchar *value)
{
	json_builder_set_member_name(builder, key);
	if (value != NULL)
		json_builder_add_string_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

/**
 * wf_flash_plan_to_json:
 * @self: a #WfFlashPlan
 *
 * Returns: (transfer full): the plan for `--json` output and the history
 */
JsonNode *
wf_flash_plan_to_json(WfFlashPlan *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(GPtrArray) kept = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(WF_IS_FLASH_PLAN(self), NULL);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "watch");
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "hw_code");
	json_builder_add_int_value(builder, self->watch_hw_code);
	wf_flash_plan_json_string(builder, "me_id", self->watch_me_id);
	wf_flash_plan_json_string(builder, "jedec_id", self->watch_jedec);
	json_builder_set_member_name(builder, "flash_size");
	json_builder_add_int_value(builder, self->flash_size);
	json_builder_end_object(builder);
	json_builder_set_member_name(builder, "target_hw_code");
	json_builder_add_int_value(builder, self->target_hw_code);
	json_builder_set_member_name(builder, "backup");
	json_builder_begin_object(builder);
	wf_flash_plan_json_string(builder, "me_id", self->backup_me_id);
	wf_flash_plan_json_string(builder, "jedec_id", self->backup_jedec);
	wf_flash_plan_json_string(builder, "sha256", self->backup_sha256);
	json_builder_set_member_name(builder, "verified");
	json_builder_add_boolean_value(builder, self->backup_verified);
	json_builder_set_member_name(builder, "this_watch");
	json_builder_add_boolean_value(builder, wf_flash_plan_backup_is_this_watch(self));
	json_builder_end_object(builder);
	if (self->has_fs) {
		json_builder_set_member_name(builder, "fs_region");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "offset");
		json_builder_add_int_value(builder, self->fs_offset);
		json_builder_set_member_name(builder, "length");
		json_builder_add_int_value(builder, self->fs_length);
		wf_flash_plan_json_string(builder, "source", self->fs_source);
		json_builder_end_object(builder);
	}
	json_builder_set_member_name(builder, "write_size");
	json_builder_add_int_value(builder, wf_flash_plan_get_write_size(self));
	json_builder_set_member_name(builder, "write");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->regions->len; i++)
		wf_flash_plan_json_region(builder, g_ptr_array_index(self->regions, i));
	json_builder_end_array(builder);
	kept = wf_flash_plan_get_kept(self);
	json_builder_set_member_name(builder, "keep");
	json_builder_begin_array(builder);
	for (guint i = 0; i < kept->len; i++)
		wf_flash_plan_json_region(builder, g_ptr_array_index(kept, i));
	json_builder_end_array(builder);
	/* the verdict travels with the plan, so a GUI need not re-run it */
	json_builder_set_member_name(builder, "check");
	if (wf_flash_plan_check(self, &error_local))
		json_builder_add_string_value(builder, "ok");
	else
		json_builder_add_string_value(builder, error_local->message);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}
