/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-dump.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wf-common.h"
#include "wf-error.h"
#include "wf-gfh.h"

/* the flash window the CPU sees (remap 3): XIP files carry their own address */
#define WF_DUMP_WINDOW_BASE 0x10000000u
#define WF_DUMP_WINDOW_END  0x18000000u
#define WF_DUMP_ADDR_MASK   0x07FFFFFFu
/* the verified header block runs up to the first bootloader at 0x800 (§2.2) */
#define WF_DUMP_HEADER_BLOCK_SIZE 0x800u
/* a header block longer than this is not one */
#define WF_DUMP_HEADER_BLOCK_MAX 0x10000u
/* ALICE headers looked for outside VIVA */
#define WF_DUMP_MAX_ALICE 4

struct _WfDump {
	GObject parent_instance;
	GBytes *image;
	WfDumpKind kind;
	WfBootHeader *boot_header; /* full dumps */
	WfRomIdentity *rom_identity;
	GPtrArray *regions; /* (element-type WfDumpRegion), by offset */
	GPtrArray *parts;   /* (element-type WfDumpCompressedPart) */
	gboolean has_fs;
	guint32 fs_base;
	guint32 fs_size;
	WfFirmwareIdentity *identity;
	GPtrArray *warnings; /* (element-type utf8) */
};

G_DEFINE_FINAL_TYPE(WfDump, wf_dump, G_TYPE_OBJECT)

static void
wf_dump_region_free(gpointer data)
{
	WfDumpRegion *region = data;
	g_free(region->name);
	g_free(region);
}

static void
wf_dump_part_free(gpointer data)
{
	WfDumpCompressedPart *part = data;
	g_free(part->name);
	g_free(part->format);
	if (part->output != NULL)
		g_bytes_unref(part->output);
	g_free(part);
}

const gchar *
wf_dump_region_kind_to_string(WfDumpRegionKind kind)
{
	switch (kind) {
	case WF_DUMP_REGION_HEADER_BLOCK:
		return "header-block";
	case WF_DUMP_REGION_BOOTLOADER:
		return "bootloader";
	case WF_DUMP_REGION_EXT_BOOTLOADER:
		return "ext-bootloader";
	case WF_DUMP_REGION_ROM:
		return "rom";
	case WF_DUMP_REGION_VIVA:
		return "viva";
	case WF_DUMP_REGION_MAIN:
		return "main";
	case WF_DUMP_REGION_FS:
		return "fs";
	case WF_DUMP_REGION_FREE:
		return "free";
	case WF_DUMP_REGION_OTHER:
	default:
		return "other";
	}
}

static void
wf_dump_reset(WfDump *self)
{
	g_clear_pointer(&self->image, g_bytes_unref);
	g_clear_object(&self->boot_header);
	g_clear_object(&self->rom_identity);
	g_clear_object(&self->identity);
	g_ptr_array_set_size(self->regions, 0);
	g_ptr_array_set_size(self->parts, 0);
	g_ptr_array_set_size(self->warnings, 0);
	self->has_fs = FALSE;
	self->fs_base = 0;
	self->fs_size = 0;
	self->kind = WF_DUMP_KIND_FULL;
}

static void
wf_dump_finalize(GObject *object)
{
	WfDump *self = WF_DUMP(object);

	wf_dump_reset(self);
	g_ptr_array_unref(self->regions);
	g_ptr_array_unref(self->parts);
	g_ptr_array_unref(self->warnings);
	G_OBJECT_CLASS(wf_dump_parent_class)->finalize(object);
}

static void
wf_dump_class_init(WfDumpClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_dump_finalize;
}

static void
wf_dump_init(WfDump *self)
{
	self->regions = g_ptr_array_new_with_free_func(wf_dump_region_free);
	self->parts = g_ptr_array_new_with_free_func(wf_dump_part_free);
	self->warnings = g_ptr_array_new_with_free_func(g_free);
}

WfDump *
wf_dump_new(void)
{
	return g_object_new(WF_TYPE_DUMP, NULL);
}

G_GNUC_PRINTF(2, 3)
static void
wf_dump_warn(WfDump *self, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	g_ptr_array_add(self->warnings, g_strdup_vprintf(format, args));
	va_end(args);
}

static gboolean
wf_dump_is_erased(const guint8 *buf, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != 0xFF)
			return FALSE;
	}
	return TRUE;
}

static WfDumpRegion *
wf_dump_add_region(
	WfDump *self, WfDumpRegionKind kind, const gchar *name, guint32 offset, guint32 length)
{
	const guint8 *buf = g_bytes_get_data(self->image, NULL);
	WfDumpRegion *region = g_new0(WfDumpRegion, 1);

	region->kind = kind;
	region->name = g_strdup(name);
	region->offset = offset;
	region->length = length;
	region->erased = wf_dump_is_erased(buf + offset, length);
	g_ptr_array_add(self->regions, region);
	return region;
}

static gint
wf_dump_region_cmp(gconstpointer a, gconstpointer b)
{
	const WfDumpRegion *ra = *(WfDumpRegion *const *)a;
	const WfDumpRegion *rb = *(WfDumpRegion *const *)b;
	if (ra->offset != rb->offset)
		return ra->offset < rb->offset ? -1 : 1;
	return 0;
}

/* ---- GFH files ------------------------------------------------------------------------------- */

static WfDumpRegionKind
wf_dump_kind_for_file_type(guint16 file_type)
{
	switch (file_type) {
	case WF_GFH_FILE_ARM_BL:
		return WF_DUMP_REGION_BOOTLOADER;
	case WF_GFH_FILE_ARM_EXT_BL:
		return WF_DUMP_REGION_EXT_BOOTLOADER;
	case WF_GFH_FILE_PRIMARY_MAUI:
		return WF_DUMP_REGION_ROM;
	case WF_GFH_FILE_VIVA:
		return WF_DUMP_REGION_VIVA;
	default:
		return WF_DUMP_REGION_MAIN;
	}
}

/* the names SP Flash Tool packages and the ReadBack Extractor use (§1.5, §2.5) */
static gchar *
wf_dump_name_for_file(WfDump *self, guint16 file_type)
{
	const gchar *base;
	guint n = 0;

	switch (file_type) {
	case WF_GFH_FILE_ARM_BL:
		base = "BOOTLOADER";
		break;
	case WF_GFH_FILE_ARM_EXT_BL:
		base = "EXT_BOOTLOADER";
		break;
	case WF_GFH_FILE_PRIMARY_MAUI:
		base = "ROM";
		break;
	default:
		base = wf_gfh_file_type_to_string(file_type);
		break;
	}
	if (base == NULL)
		return g_strdup_printf("FILE_0x%04X", file_type);
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		if (r->file_type == file_type && r->name != NULL)
			n++;
	}
	return n == 0 ? g_strdup(base) : g_strdup_printf("%s_%u", base, n + 1);
}

/*
 * Is there a plausible file at @off? The chain must parse, the whole file
 * fit before @limit, and an XIP file must carry its own flash address:
 * that is what tells a real file from stray "MMM" bytes.
 */
static WfGfh *
wf_dump_try_file(WfDump *self, gsize off, gsize limit)
{
	g_autoptr(GBytes) window = g_bytes_new_from_bytes(self->image, 0, limit);
	g_autoptr(WfGfh) gfh = wf_gfh_new_from_bytes(window, off, NULL);
	const WfGfhFileInfo *fi;

	if (gfh == NULL)
		return NULL;
	fi = wf_gfh_get_file_info(gfh);
	if (fi->file_len == 0 || fi->file_len < fi->content_offset || fi->file_len > limit - off)
		return NULL;
	if (fi->file_type == WF_GFH_FILE_ARM_BL)
		return g_steal_pointer(&gfh);
	if (fi->load_addr >= WF_DUMP_WINDOW_BASE && fi->load_addr < WF_DUMP_WINDOW_END &&
	    (fi->load_addr & WF_DUMP_ADDR_MASK) == off)
		return g_steal_pointer(&gfh);
	if (self->kind == WF_DUMP_KIND_FILE)
		return g_steal_pointer(&gfh);
	return NULL;
}

static void
wf_dump_add_file(WfDump *self, WfGfh *gfh, gsize off)
{
	const WfGfhFileInfo *fi = wf_gfh_get_file_info(gfh);
	g_autofree gchar *name = wf_dump_name_for_file(self, fi->file_type);
	WfDumpRegion *region = wf_dump_add_region(
		self, wf_dump_kind_for_file_type(fi->file_type), name, (guint32)off, fi->file_len);

	region->file_type = fi->file_type;
	region->load_addr = fi->load_addr;
	if (region->kind == WF_DUMP_REGION_ROM &&
	    wf_dump_get_region(self, WF_DUMP_REGION_ROM) != region)
		region->kind = WF_DUMP_REGION_MAIN; /* a second ROM is just another file */
}

/* every GFH file in [0, limit), 4-byte aligned, in order */
static void
wf_dump_walk_files(WfDump *self, gsize limit)
{
	const guint8 *buf = g_bytes_get_data(self->image, NULL);
	gsize off = 0;

	while (off < limit) {
		g_autoptr(WfGfh) gfh = NULL;
		gsize pos = wf_gfh_scan(buf, limit, off, 4, 0xFFFF);
		if (pos == G_MAXSIZE)
			break;
		gfh = wf_dump_try_file(self, pos, limit);
		if (gfh == NULL) {
			off = pos + 4;
			continue;
		}
		wf_dump_add_file(self, gfh, pos);
		off = ((pos + wf_gfh_get_file_info(gfh)->file_len) + 3) & ~(gsize)3;
	}
}

/* ---- compressed parts ------------------------------------------------------------------------ */

static void
wf_dump_add_part(WfDump *self, WfDumpCompressedPart *part)
{
	g_ptr_array_add(self->parts, part);
}

static void
wf_dump_decode_zimage(
	WfDump *self, const gchar *what, GArray *partitions, gsize header_off, gsize file_end)
{
	const guint8 *buf = g_bytes_get_data(self->image, NULL);

	for (guint i = 0; partitions != NULL && i < partitions->len; i++) {
		WfGfhZimagePartition *p = &g_array_index(partitions, WfGfhZimagePartition, i);
		WfDumpCompressedPart *part;
		guint64 src = (guint64)header_off + p->src_offset;

		/* a part that is not in the data is only named, never pointed at */
		if (src + p->src_size > file_end || p->src_size < WF_LZMA_ALONE_HEADER_SIZE) {
			wf_dump_warn(self, "%s partition %u lies outside its VIVA file", what, i);
			continue;
		}
		part = g_new0(WfDumpCompressedPart, 1);
		part->name = g_strdup_printf("%s partition %u", what, i);
		part->offset = (guint32)src;
		part->length = p->src_size;
		part->unpacked_size = p->dst_size;
		part->status = WF_LZMA_STATUS_NONE;
		wf_dump_add_part(self, part);
		if (p->type == 3) {
			/* the preset dictionary is the decoded ALICE image, which
			 * nothing here can produce (firmware-formats.md §4.2) */
			part->format = g_strdup("LZMA (ALICE preset)");
			continue;
		}
		part->format = g_strdup("LZMA");
		{
			g_autoptr(WfLzma) lzma = wf_lzma_new();
			wf_lzma_set_max_output(lzma, WF_DUMP_MAX_DECODED);
			part->decoded = wf_lzma_decode(lzma, buf + src, p->src_size, NULL);
			part->status = wf_lzma_get_status(lzma);
			if (wf_lzma_get_output(lzma) != NULL &&
			    g_bytes_get_size(wf_lzma_get_output(lzma)) > 0)
				part->output = g_bytes_ref(wf_lzma_get_output(lzma));
		}
	}
}

static void
wf_dump_find_viva_parts(WfDump *self, const WfDumpRegion *viva)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(WfGfh) gfh = wf_gfh_new_from_bytes(self->image, viva->offset, &error_local);
	const WfGfhVivaInfo *info;
	const WfGfhDcm *dcm;
	const WfGfhAlice *alice;
	gsize file_end = (gsize)viva->offset + viva->length;

	if (gfh == NULL || !wf_gfh_parse_viva(gfh, self->image, &error_local)) {
		wf_dump_warn(self, "%s: %s", viva->name, error_local->message);
		return;
	}
	info = wf_gfh_get_viva_info(gfh);
	if (info->zimage_base > info->viva_base)
		wf_dump_decode_zimage(self,
				      "ZIMAGE",
				      wf_gfh_get_zimage(gfh),
				      viva->offset + (info->zimage_base - info->viva_base),
				      file_end);
	if (info->boot_zimage_base > info->viva_base)
		wf_dump_decode_zimage(self,
				      "BOOT_ZIMAGE",
				      wf_gfh_get_boot_zimage(gfh),
				      viva->offset + (info->boot_zimage_base - info->viva_base),
				      file_end);
	dcm = wf_gfh_get_dcm(gfh);
	if (dcm != NULL) {
		WfDumpCompressedPart *part = g_new0(WfDumpCompressedPart, 1);
		part->name = g_strdup_printf("DCM (%u images)", dcm->images->len);
		part->format = g_strdup("DCM");
		part->offset = viva->offset + (info->dcmcmp_base - info->viva_base);
		wf_dump_add_part(self, part);
	}
	alice = wf_gfh_get_alice(gfh);
	if (alice != NULL) {
		WfDumpCompressedPart *part = g_new0(WfDumpCompressedPart, 1);
		part->name = g_strdup_printf("ALICE_%u", alice->version);
		part->format = g_strdup_printf("ALICE_%u", alice->version);
		part->offset = viva->offset + (info->alice_base - info->viva_base);
		part->length = (guint32)(file_end - part->offset);
		wf_dump_add_part(self, part);
	}
}

/* ALICE streams outside VIVA (older builds keep them in ROM) */
static void
wf_dump_find_alice(WfDump *self, const WfDumpRegion *region)
{
	const guint8 *buf = g_bytes_get_data(self->image, NULL);
	g_autoptr(GArray) hits =
		wf_lzma_find_alice(buf + region->offset, region->length, WF_DUMP_MAX_ALICE);

	for (guint i = 0; i < hits->len; i++) {
		WfLzmaAliceHeader *hdr = &g_array_index(hits, WfLzmaAliceHeader, i);
		guint32 off = region->offset + (guint32)hdr->offset;
		WfDumpCompressedPart *part;
		gboolean known = FALSE;

		for (guint j = 0; j < self->parts->len; j++) {
			WfDumpCompressedPart *p = g_ptr_array_index(self->parts, j);
			if (p->offset == off)
				known = TRUE;
		}
		if (known)
			continue;
		part = g_new0(WfDumpCompressedPart, 1);
		part->name = g_strdup_printf("ALICE_%u in %s", hdr->version, region->name);
		part->format = g_strdup_printf("ALICE_%u", hdr->version);
		part->offset = off;
		wf_dump_add_part(self, part);
	}
}

/* ---- gaps ------------------------------------------------------------------------------------ */

/* non-erased runs of [start, end), merged across erased runs shorter than @merge */
static void
wf_dump_gap_runs(const guint8 *buf, guint32 start, guint32 end, guint32 merge, GArray *runs)
{
	guint32 i = start;

	while (i < end) {
		guint32 run_start, run_end;
		while (i < end && buf[i] == 0xFF)
			i++;
		if (i >= end)
			break;
		run_start = i;
		run_end = i;
		while (i < end) {
			guint32 ff;
			if (buf[i] != 0xFF) {
				run_end = ++i;
				continue;
			}
			ff = i;
			while (ff < end && buf[ff] == 0xFF && ff - i < merge)
				ff++;
			if (ff >= end || buf[ff] == 0xFF)
				break;
			i = ff;
		}
		{
			guint32 pair[2] = {run_start, run_end};
			g_array_append_vals(runs, pair, 2);
		}
		i = run_end;
	}
}

/*
 * Everything not covered by a known region becomes FREE (0xFF) or OTHER
 * (anything else). OTHER regions become files of a split, so their number
 * is bounded by merging across ever longer erased runs.
 */
static void
wf_dump_classify_gaps(WfDump *self)
{
	const guint8 *buf = g_bytes_get_data(self->image, NULL);
	guint32 size = (guint32)g_bytes_get_size(self->image);
	g_autoptr(GArray) gaps = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GArray) runs = g_array_new(FALSE, FALSE, sizeof(guint32));
	guint32 cursor = 0;
	guint32 merge = WF_DUMP_EXTRA_MERGE_GAP;

	g_ptr_array_sort(self->regions, wf_dump_region_cmp);
	for (guint i = 0; i <= self->regions->len; i++) {
		guint32 next = size;
		if (i < self->regions->len) {
			WfDumpRegion *r = g_ptr_array_index(self->regions, i);
			next = r->offset;
			if (next > cursor) {
				guint32 pair[2] = {cursor, next};
				g_array_append_vals(gaps, pair, 2);
			}
			cursor = MAX(cursor, r->offset + r->length);
			continue;
		}
		if (next > cursor) {
			guint32 pair[2] = {cursor, next};
			g_array_append_vals(gaps, pair, 2);
		}
	}
	for (;;) {
		g_array_set_size(runs, 0);
		for (guint i = 0; i < gaps->len; i += 2)
			wf_dump_gap_runs(buf,
					 g_array_index(gaps, guint32, i),
					 g_array_index(gaps, guint32, i + 1),
					 merge,
					 runs);
		if (runs->len / 2 <= WF_DUMP_MAX_EXTRAS || merge >= size)
			break;
		merge *= 4;
	}
	if (runs->len / 2 > WF_DUMP_MAX_EXTRAS) {
		/* still too many in separate gaps: one run per gap, first to last */
		g_autoptr(GArray) coarse = g_array_new(FALSE, FALSE, sizeof(guint32));
		for (guint i = 0; i < gaps->len; i += 2)
			wf_dump_gap_runs(buf,
					 g_array_index(gaps, guint32, i),
					 g_array_index(gaps, guint32, i + 1),
					 size,
					 coarse);
		g_array_set_size(runs, 0);
		g_array_append_vals(runs, coarse->data, coarse->len);
	}
	/* free runs are what is left of each gap */
	for (guint g = 0; g < gaps->len; g += 2) {
		guint32 gs = g_array_index(gaps, guint32, g);
		guint32 ge = g_array_index(gaps, guint32, g + 1);
		guint32 pos = gs;
		for (guint r = 0; r < runs->len; r += 2) {
			guint32 rs = g_array_index(runs, guint32, r);
			guint32 re = g_array_index(runs, guint32, r + 1);
			if (rs < gs || re > ge)
				continue;
			if (rs > pos)
				wf_dump_add_region(
					self, WF_DUMP_REGION_FREE, "free", pos, rs - pos);
			{
				g_autofree gchar *name = g_strdup_printf("EXTRA_0x%06X", rs);
				wf_dump_add_region(self, WF_DUMP_REGION_OTHER, name, rs, re - rs);
			}
			pos = re;
		}
		if (ge > pos)
			wf_dump_add_region(self, WF_DUMP_REGION_FREE, "free", pos, ge - pos);
	}
	g_ptr_array_sort(self->regions, wf_dump_region_cmp);
}

/* ---- parsing --------------------------------------------------------------------------------- */

static void
wf_dump_find_fs(WfDump *self)
{
	WfGfh *gfh = wf_rom_identity_get_rom_gfh(self->rom_identity);
	gsize size = g_bytes_get_size(self->image);
	guint32 base = 0, fs_size = 0;

	if (gfh == NULL || !wf_gfh_get_fs_region(gfh, &base, &fs_size))
		return;
	if (fs_size == 0 || base == 0 || base >= size) {
		wf_dump_warn(self,
			     "FLASH_INFO puts the file system at 0x%x (0x%x bytes), outside this "
			     "%" G_GSIZE_FORMAT "-byte image",
			     base,
			     fs_size,
			     size);
		return;
	}
	if ((guint64)base + fs_size > size) {
		wf_dump_warn(self,
			     "the file system (0x%x + 0x%x) runs past the end of the image",
			     base,
			     fs_size);
		fs_size = (guint32)(size - base);
	}
	self->has_fs = TRUE;
	self->fs_base = base;
	self->fs_size = fs_size;
}

static void
wf_dump_check_boot_header(WfDump *self)
{
	GArray *bls;

	if (wf_boot_header_get_state(self->boot_header) != WF_BOOT_HEADER_STATE_VALID)
		return;
	bls = wf_boot_header_get_bls(self->boot_header);
	for (guint i = 0; i < bls->len; i++) {
		WfBootHeaderBl *bl = &g_array_index(bls, WfBootHeaderBl, i);
		gboolean found = FALSE;
		for (guint j = 0; j < self->regions->len; j++) {
			WfDumpRegion *r = g_ptr_array_index(self->regions, j);
			if (r->offset == bl->begin && r->file_type == bl->file_type)
				found = TRUE;
		}
		if (!found)
			wf_dump_warn(
				self,
				"the header block names a bootloader at 0x%x that is not there",
				bl->begin);
	}
}

static void
wf_dump_add_header_region(WfDump *self)
{
	guint32 end = G_MAXUINT32;
	gsize size = g_bytes_get_size(self->image);

	/* the block runs up to the first file (0x800 on every known layout) */
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		if (r->offset > 0 && r->offset <= WF_DUMP_HEADER_BLOCK_MAX)
			end = MIN(end, r->offset);
	}
	if (end == G_MAXUINT32)
		end = WF_DUMP_HEADER_BLOCK_SIZE;
	end = (guint32)MIN((gsize)end, size);
	wf_dump_add_region(self, WF_DUMP_REGION_HEADER_BLOCK, "header block", 0, end);
}

static void
wf_dump_build_identity(WfDump *self)
{
	const guint8 *buf = g_bytes_get_data(self->image, NULL);
	gboolean lzma = FALSE, alice = FALSE;

	self->identity = wf_firmware_identity_new(self->kind == WF_DUMP_KIND_FULL
							  ? WF_FIRMWARE_IDENTITY_KIND_DUMP
							  : WF_FIRMWARE_IDENTITY_KIND_ROM);
	wf_firmware_identity_set_image(self->identity, self->image);
	if (self->rom_identity != NULL)
		wf_firmware_identity_set_rom_identity(self->identity, self->rom_identity);
	if (self->kind == WF_DUMP_KIND_FULL)
		wf_firmware_identity_set_header_block(
			self->identity,
			wf_boot_header_state_to_string(
				wf_boot_header_get_state(self->boot_header)));
	if (self->has_fs)
		wf_firmware_identity_set_fs_region(self->identity, self->fs_base, self->fs_size);
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		const gchar *part = NULL;
		switch (r->kind) {
		case WF_DUMP_REGION_BOOTLOADER:
			part = "bootloader";
			break;
		case WF_DUMP_REGION_EXT_BOOTLOADER:
			part = "ext_bootloader";
			break;
		case WF_DUMP_REGION_ROM:
			part = "rom";
			wf_firmware_identity_scan_image(
				self->identity, r->name, buf + r->offset, r->length);
			break;
		case WF_DUMP_REGION_VIVA:
			part = "viva";
			break;
		default:
			break;
		}
		if (part != NULL && !wf_firmware_identity_get_offset(self->identity, part, NULL))
			wf_firmware_identity_set_offset(self->identity, part, r->offset);
	}
	for (guint i = 0; i < self->parts->len; i++) {
		WfDumpCompressedPart *part = g_ptr_array_index(self->parts, i);
		if (g_str_has_prefix(part->format, "ALICE"))
			alice = TRUE;
		else
			lzma = TRUE;
		if (part->output != NULL) {
			gsize sz = 0;
			const guint8 *out = g_bytes_get_data(part->output, &sz);
			wf_firmware_identity_scan_image(self->identity, part->name, out, sz);
		}
	}
	wf_firmware_identity_set_compression(self->identity, lzma, alice);
	for (guint i = 0; i < self->warnings->len; i++)
		wf_firmware_identity_add_warning(self->identity,
						 g_ptr_array_index(self->warnings, i));
}

static void
wf_dump_parse_file(WfDump *self)
{
	gsize size = g_bytes_get_size(self->image);
	g_autoptr(WfGfh) gfh = NULL;

	self->kind = WF_DUMP_KIND_FILE;
	gfh = wf_dump_try_file(self, 0, size);
	if (gfh != NULL) {
		wf_dump_add_file(self, gfh, 0);
	} else {
		/* FILE_INFO says more bytes than there are: show what is there */
		g_autoptr(WfGfh) partial = wf_gfh_new_from_bytes(self->image, 0, NULL);
		if (partial != NULL) {
			const WfGfhFileInfo *fi = wf_gfh_get_file_info(partial);
			WfDumpRegion *r = wf_dump_add_region(
				self,
				wf_dump_kind_for_file_type(fi->file_type),
				wf_gfh_file_type_to_string(fi->file_type) != NULL
					? wf_gfh_file_type_to_string(fi->file_type)
					: "file",
				0,
				(guint32)size);
			r->file_type = fi->file_type;
			r->load_addr = fi->load_addr;
			wf_dump_warn(self,
				     "FILE_INFO says 0x%x bytes but the file has %" G_GSIZE_FORMAT
				     ": it is truncated",
				     fi->file_len,
				     size);
		}
	}
}

/**
 * wf_dump_parse:
 * @self: a #WfDump
 * @image: a full-flash dump or one MediaTek binary
 * @error: (out): return location
 *
 * Identifies and lays out @image. A full dump needs at least one GFH file;
 * a single binary needs a FILE_INFO at offset 0.
 *
 * Returns: %TRUE on success
 */
gboolean
wf_dump_parse(WfDump *self, GBytes *image, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gsize size;
	const guint8 *buf;

	g_return_val_if_fail(WF_IS_DUMP(self), FALSE);
	g_return_val_if_fail(image != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_dump_reset(self);
	buf = g_bytes_get_data(image, &size);
	if (size > WF_DUMP_MAX_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%" G_GSIZE_FORMAT " bytes is more than any watch flash (16 MiB)",
			    size);
		return FALSE;
	}
	if (size < WF_GFH_FILE_INFO_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%" G_GSIZE_FORMAT " bytes is too small for a firmware image",
			    size);
		return FALSE;
	}
	self->image = g_bytes_ref(image);
	self->rom_identity = wf_rom_identity_new();
	if (!wf_rom_identity_parse(self->rom_identity, image, &error_local)) {
		g_debug("no ROM identity: %s", error_local->message);
		g_clear_object(&self->rom_identity);
	}

	if (wf_gfh_is_file_info(buf, size, 0)) {
		wf_dump_parse_file(self);
	} else {
		self->kind = WF_DUMP_KIND_FULL;
		self->boot_header = wf_boot_header_new_from_bytes(image, NULL);
		if (self->boot_header == NULL) {
			g_set_error_literal(error,
					    WF_ERROR,
					    WF_ERROR_INTERNAL,
					    "the header block could not be read");
			wf_dump_reset(self);
			return FALSE;
		}
		if (self->rom_identity != NULL)
			wf_dump_find_fs(self);
		wf_dump_walk_files(self, self->has_fs ? self->fs_base : size);
		if (self->regions->len == 0) {
			g_set_error_literal(error,
					    WF_ERROR,
					    WF_ERROR_NOT_FOUND,
					    wf_dump_is_erased(buf, size)
						    ? "the image is blank: every byte is 0xFF"
						    : "no MediaTek firmware (GFH FILE_INFO) found "
						      "in this image");
			wf_dump_reset(self);
			return FALSE;
		}
		wf_dump_check_boot_header(self);
		wf_dump_add_header_region(self);
		if (self->has_fs)
			wf_dump_add_region(
				self, WF_DUMP_REGION_FS, "FS", self->fs_base, self->fs_size);
		if (wf_dump_get_region(self, WF_DUMP_REGION_ROM) == NULL)
			wf_dump_warn(self, "no MAUI ROM found");
	}
	g_ptr_array_sort(self->regions, wf_dump_region_cmp);
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		if (r->kind == WF_DUMP_REGION_VIVA && (gsize)r->offset + r->length <= size)
			wf_dump_find_viva_parts(self, r);
	}
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		if ((r->kind == WF_DUMP_REGION_ROM || r->kind == WF_DUMP_REGION_MAIN) &&
		    (gsize)r->offset + r->length <= size)
			wf_dump_find_alice(self, r);
	}
	wf_dump_classify_gaps(self);
	wf_dump_build_identity(self);
	return TRUE;
}

/**
 * wf_dump_new_from_bytes:
 *
 * Returns: (transfer full): the parsed dump, or %NULL
 */
WfDump *
wf_dump_new_from_bytes(GBytes *image, GError **error)
{
	g_autoptr(WfDump) self = wf_dump_new();
	if (!wf_dump_parse(self, image, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * wf_dump_new_from_file:
 *
 * Returns: (transfer full): the parsed dump, or %NULL
 */
WfDump *
wf_dump_new_from_file(const gchar *filename, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GBytes) image = NULL;
	gchar *data = NULL;
	gsize len = 0;
	GStatBuf st;

	g_return_val_if_fail(filename != NULL, NULL);
	if (g_stat(filename, &st) == 0 && (guint64)st.st_size > WF_DUMP_MAX_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is %" G_GUINT64_FORMAT " bytes, more than any watch flash (16 MiB)",
			    filename,
			    (guint64)st.st_size);
		return NULL;
	}
	if (!g_file_get_contents(filename, &data, &len, &error_local)) {
		wf_common_set_file_error(error, error_local);
		return NULL;
	}
	image = g_bytes_new_take(data, len);
	return wf_dump_new_from_bytes(image, error);
}

/* ---- getters --------------------------------------------------------------------------------- */

WfDumpKind
wf_dump_get_kind(WfDump *self)
{
	g_return_val_if_fail(WF_IS_DUMP(self), WF_DUMP_KIND_FULL);
	return self->kind;
}

/**
 * wf_dump_get_bytes:
 *
 * Returns: (transfer none) (nullable): the image
 */
GBytes *
wf_dump_get_bytes(WfDump *self)
{
	g_return_val_if_fail(WF_IS_DUMP(self), NULL);
	return self->image;
}

/**
 * wf_dump_get_rom_identity:
 *
 * Returns: (transfer none) (nullable): the ROM's identity
 */
WfRomIdentity *
wf_dump_get_rom_identity(WfDump *self)
{
	g_return_val_if_fail(WF_IS_DUMP(self), NULL);
	return self->rom_identity;
}

/**
 * wf_dump_get_boot_header:
 *
 * Returns: (transfer none) (nullable): the header block, full dumps only
 */
WfBootHeader *
wf_dump_get_boot_header(WfDump *self)
{
	g_return_val_if_fail(WF_IS_DUMP(self), NULL);
	return self->boot_header;
}

WfBootHeaderState
wf_dump_get_header_block_state(WfDump *self)
{
	g_return_val_if_fail(WF_IS_DUMP(self), WF_BOOT_HEADER_STATE_UNKNOWN);
	if (self->boot_header == NULL)
		return WF_BOOT_HEADER_STATE_UNKNOWN;
	return wf_boot_header_get_state(self->boot_header);
}

/**
 * wf_dump_get_regions:
 *
 * Returns: (transfer none) (element-type WfDumpRegion): the layout; the
 * regions tile the whole image without overlapping
 */
GPtrArray *
wf_dump_get_regions(WfDump *self)
{
	g_return_val_if_fail(WF_IS_DUMP(self), NULL);
	return self->regions;
}

/**
 * wf_dump_get_region:
 *
 * Returns: (transfer none) (nullable): the first region of @kind
 */
const WfDumpRegion *
wf_dump_get_region(WfDump *self, WfDumpRegionKind kind)
{
	g_return_val_if_fail(WF_IS_DUMP(self), NULL);
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		if (r->kind == kind)
			return r;
	}
	return NULL;
}

gboolean
wf_dump_get_fs_region(WfDump *self, guint32 *base, guint32 *size)
{
	g_return_val_if_fail(WF_IS_DUMP(self), FALSE);
	if (!self->has_fs)
		return FALSE;
	if (base != NULL)
		*base = self->fs_base;
	if (size != NULL)
		*size = self->fs_size;
	return TRUE;
}

/**
 * wf_dump_get_free_bytes:
 *
 * Returns: erased bytes outside every known region (room for a bigger firmware)
 */
guint64
wf_dump_get_free_bytes(WfDump *self)
{
	guint64 total = 0;

	g_return_val_if_fail(WF_IS_DUMP(self), 0);
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		if (r->kind == WF_DUMP_REGION_FREE)
			total += r->length;
	}
	return total;
}

/**
 * wf_dump_get_compressed_parts:
 *
 * Returns: (transfer none) (element-type WfDumpCompressedPart): ZIMAGE,
 * BOOT_ZIMAGE partitions, DCM and ALICE parts
 */
GPtrArray *
wf_dump_get_compressed_parts(WfDump *self)
{
	g_return_val_if_fail(WF_IS_DUMP(self), NULL);
	return self->parts;
}

/**
 * wf_dump_get_identity:
 *
 * Returns: (transfer none) (nullable): the summary
 */
WfFirmwareIdentity *
wf_dump_get_identity(WfDump *self)
{
	g_return_val_if_fail(WF_IS_DUMP(self), NULL);
	return self->identity;
}

/**
 * wf_dump_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): what looked wrong
 */
GPtrArray *
wf_dump_get_warnings(WfDump *self)
{
	g_return_val_if_fail(WF_IS_DUMP(self), NULL);
	return self->warnings;
}

/**
 * wf_dump_to_json:
 *
 * Returns: (transfer full): {"kind", "size", "header_block", "regions": […],
 * "fs", "free_bytes", "compressed_parts": […], "identity", "warnings"}
 */
JsonNode *
wf_dump_to_json(WfDump *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(WF_IS_DUMP(self), NULL);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, self->kind == WF_DUMP_KIND_FULL ? "dump" : "file");
	json_builder_set_member_name(b, "size");
	json_builder_add_int_value(b,
				   self->image != NULL ? (gint64)g_bytes_get_size(self->image) : 0);
	json_builder_set_member_name(b, "header_block");
	if (self->boot_header != NULL)
		json_builder_add_value(b, wf_boot_header_to_json(self->boot_header));
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "regions");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "kind");
		json_builder_add_string_value(b, wf_dump_region_kind_to_string(r->kind));
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, r->name);
		json_builder_set_member_name(b, "offset");
		json_builder_add_int_value(b, r->offset);
		json_builder_set_member_name(b, "length");
		json_builder_add_int_value(b, r->length);
		if (r->file_type != 0 || r->kind == WF_DUMP_REGION_MAIN) {
			json_builder_set_member_name(b, "file_type");
			json_builder_add_int_value(b, r->file_type);
			json_builder_set_member_name(b, "load_addr");
			json_builder_add_int_value(b, r->load_addr);
		}
		json_builder_set_member_name(b, "erased");
		json_builder_add_boolean_value(b, r->erased);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "free_bytes");
	json_builder_add_int_value(b, (gint64)wf_dump_get_free_bytes(self));
	json_builder_set_member_name(b, "compressed_parts");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->parts->len; i++) {
		WfDumpCompressedPart *p = g_ptr_array_index(self->parts, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, p->name);
		json_builder_set_member_name(b, "format");
		json_builder_add_string_value(b, p->format);
		json_builder_set_member_name(b, "offset");
		json_builder_add_int_value(b, p->offset);
		json_builder_set_member_name(b, "length");
		json_builder_add_int_value(b, p->length);
		json_builder_set_member_name(b, "unpacked_size");
		json_builder_add_int_value(b, (gint64)p->unpacked_size);
		json_builder_set_member_name(b, "decoded");
		json_builder_add_boolean_value(b, p->decoded);
		json_builder_set_member_name(b, "decoded_size");
		json_builder_add_int_value(
			b, p->output != NULL ? (gint64)g_bytes_get_size(p->output) : 0);
		if (p->status != WF_LZMA_STATUS_NONE) {
			json_builder_set_member_name(b, "status");
			json_builder_add_string_value(b, wf_lzma_status_to_string(p->status));
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "identity");
	if (self->identity != NULL)
		json_builder_add_value(b, wf_firmware_identity_to_json(self->identity));
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "warnings");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->warnings->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(self->warnings, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/**
 * wf_dump_scan_codes:
 * @self: a parsed #WfDump
 * @codes: the scanner to feed
 *
 * Scans every GFH file of the image (never the file-system tail: that is
 * the owner's data) and every decoded LZMA part for dial codes, and tells
 * @codes about the compressed parts that could not be decoded.
 */
void
wf_dump_scan_codes(WfDump *self, WfSecretCodes *codes)
{
	const guint8 *buf;

	g_return_if_fail(WF_IS_DUMP(self));
	g_return_if_fail(WF_IS_SECRET_CODES(codes));
	if (self->image == NULL)
		return;
	buf = g_bytes_get_data(self->image, NULL);
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		switch (r->kind) {
		case WF_DUMP_REGION_BOOTLOADER:
		case WF_DUMP_REGION_EXT_BOOTLOADER:
		case WF_DUMP_REGION_ROM:
		case WF_DUMP_REGION_VIVA:
		case WF_DUMP_REGION_MAIN:
			/* also records every ALICE header as a part not scanned */
			wf_secret_codes_scan_image(codes,
						   r->name,
						   buf + r->offset,
						   r->length,
						   WF_SECRET_CODES_SCAN_DEFAULT);
			break;
		default:
			break;
		}
	}
	for (guint i = 0; i < self->parts->len; i++) {
		WfDumpCompressedPart *p = g_ptr_array_index(self->parts, i);
		if (g_str_has_prefix(p->format, "ALICE"))
			continue;
		if (p->output != NULL) {
			gsize sz = 0;
			const guint8 *out = g_bytes_get_data(p->output, &sz);
			g_autofree gchar *name = g_strdup_printf("%s (decompressed)", p->name);
			wf_secret_codes_scan(codes, name, out, sz, WF_SECRET_CODES_SCAN_DEFAULT);
		}
		wf_secret_codes_add_compressed_part(codes, p->name, p->format, p->decoded);
	}
}

/* ---- header block ---------------------------------------------------------------------------- */

typedef struct {
	guint32 offset;
	guint32 length;
	guint16 file_type;
} WfDumpPlaced;

/* the header block the builder writes for these files, exactly as a rebuild does */
static GBytes *
wf_dump_build_header(const WfDumpPlaced *boot,
		     guint n_boot,
		     guint32 main_region_addr,
		     GError **error)
{
	WfBootHeaderBl bls[WF_BOOT_HEADER_MAX_BL] = {0};

	if (n_boot == 0) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "no bootloader: a header block cannot be built");
		return NULL;
	}
	if (n_boot > WF_BOOT_HEADER_MAX_BL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "%u bootloaders, a header block holds %u",
			    n_boot,
			    (guint)WF_BOOT_HEADER_MAX_BL);
		return NULL;
	}
	for (guint i = 0; i < n_boot; i++) {
		bls[i].device = WF_BOOT_HEADER_DEVICE_SF;
		bls[i].file_type = boot[i].file_type;
		bls[i].begin = boot[i].offset;
		bls[i].boundary = boot[i].offset + boot[i].length;
		bls[i].attribute = 1;
	}
	return wf_boot_header_build(main_region_addr, bls, n_boot, error);
}

/* ---- split ----------------------------------------------------------------------------------- */

static gboolean
wf_dump_write_file(
	const gchar *dir, const gchar *name, const guint8 *buf, gsize len, GError **error)
{
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error_local = NULL;

	if (!g_file_set_contents(path, (const gchar *)buf, (gssize)len, &error_local)) {
		g_set_error(error, WF_ERROR, WF_ERROR_WRITE, "%s", error_local->message);
		return FALSE;
	}
	return TRUE;
}

static gchar *
wf_dump_sanitize(const gchar *text)
{
	gchar *name = g_strdup(text);
	for (gchar *p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			*p = '_';
	}
	return name;
}

/* cfgGen writes one EMI entry per supported chip; memory_type is the
 * PSRAM type of the real cfgs for that platform (§1.2), not read from the ROM */
static void
wf_dump_cfg_add_emis(WfCfg *cfg, WfGfh *rom_gfh, const gchar *platform)
{
	GArray *ids = rom_gfh != NULL ? wf_gfh_get_cmem_ids(rom_gfh) : NULL;
	const gchar *memory_type = NULL;

	if (g_ascii_strncasecmp(platform, "MT6261", 6) == 0)
		memory_type = "PSRAM_130MHz";
	else if (g_ascii_strncasecmp(platform, "MT6260", 6) == 0)
		memory_type = "PSRAM_166MHz";
	wf_cfg_set_parameters_version(cfg, "v1");
	for (guint i = 0; ids != NULL && i < ids->len; i++) {
		WfGfhCmemId *id = &g_array_index(ids, WfGfhCmemId, i);
		g_autoptr(WfCfgEmi) emi = wf_cfg_emi_new();
		emi->flash_type = g_strdup("SF");
		emi->id_length = MIN(id->id_len, 8u);
		memcpy(emi->flash_id, id->id, 8);
		emi->memory_type = g_strdup(memory_type);
		emi->emi_setting = g_strdup("");
		wf_cfg_add_emi(cfg, emi);
	}
}

typedef struct {
	gchar *name;
	const gchar *role;
	guint32 offset;
	guint32 length;
	guint16 file_type;
	gchar *sha256;
} WfDumpSplitFile;

static void
wf_dump_split_file_clear(gpointer data)
{
	WfDumpSplitFile *f = data;
	g_free(f->name);
	g_free(f->sha256);
}

static gboolean
wf_dump_split_add(GArray *files,
		  const gchar *dir,
		  const gchar *name,
		  const gchar *role,
		  const guint8 *buf,
		  guint32 offset,
		  guint32 length,
		  guint16 file_type,
		  GError **error)
{
	WfDumpSplitFile f = {0};

	if (!wf_dump_write_file(dir, name, buf + offset, length, error))
		return FALSE;
	f.name = g_strdup(name);
	f.role = role;
	f.offset = offset;
	f.length = length;
	f.file_type = file_type;
	f.sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, buf + offset, length);
	g_array_append_val(files, f);
	return TRUE;
}

static gchar *
wf_dump_manifest(WfDump *self, GArray *files, const gchar *cfg_name, const gchar *header_block)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, self->image);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "format");
	json_builder_add_int_value(b, WF_DUMP_MANIFEST_FORMAT);
	json_builder_set_member_name(b, "tool");
	json_builder_add_string_value(b, "wristflash " PACKAGE_VERSION);
	json_builder_set_member_name(b, "flash_size");
	json_builder_add_int_value(b, (gint64)g_bytes_get_size(self->image));
	json_builder_set_member_name(b, "source_sha256");
	json_builder_add_string_value(b, sha256);
	json_builder_set_member_name(b, "cfg");
	json_builder_add_string_value(b, cfg_name);
	json_builder_set_member_name(b, "header_block");
	json_builder_add_string_value(b, header_block);
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = 0; i < files->len; i++) {
		WfDumpSplitFile *f = &g_array_index(files, WfDumpSplitFile, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, f->name);
		json_builder_set_member_name(b, "role");
		json_builder_add_string_value(b, f->role);
		json_builder_set_member_name(b, "offset");
		json_builder_add_int_value(b, f->offset);
		json_builder_set_member_name(b, "length");
		json_builder_add_int_value(b, f->length);
		if (f->file_type != 0) {
			json_builder_set_member_name(b, "file_type");
			json_builder_add_int_value(b, f->file_type);
		}
		json_builder_set_member_name(b, "sha256");
		json_builder_add_string_value(b, f->sha256);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "identity");
	json_builder_add_value(b, wf_firmware_identity_to_json(self->identity));
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	return json_generator_to_data(gen, NULL);
}

/* decides how the split keeps the header block: the builder's output for
 * these files ("generated"), the bytes themselves ("file"), or nothing */
static const gchar *
wf_dump_split_header_mode(WfDump *self, const WfDumpPlaced *boot, guint n_boot, guint32 main)
{
	const WfDumpRegion *hdr = wf_dump_get_region(self, WF_DUMP_REGION_HEADER_BLOCK);
	const guint8 *buf = g_bytes_get_data(self->image, NULL);
	g_autoptr(GBytes) built = NULL;

	if (hdr == NULL || hdr->erased)
		return "absent";
	built = wf_dump_build_header(boot, n_boot, main, NULL);
	if (built != NULL && g_bytes_get_size(built) == hdr->length &&
	    memcmp(g_bytes_get_data(built, NULL), buf + hdr->offset, hdr->length) == 0)
		return "generated";
	return "file";
}

static gboolean
wf_dump_split_into(WfDump *self, const gchar *dir, GError **error)
{
	const guint8 *buf = g_bytes_get_data(self->image, NULL);
	g_autoptr(GArray) files = g_array_new(FALSE, TRUE, sizeof(WfDumpSplitFile));
	g_autoptr(WfCfg) cfg = wf_cfg_new();
	WfDumpPlaced boot[WF_BOOT_HEADER_MAX_BL] = {0};
	guint n_boot = 0;
	const WfDumpRegion *rom = wf_dump_get_region(self, WF_DUMP_REGION_ROM);
	const gchar *platform = wf_firmware_identity_get_platform(self->identity);
	const gchar *project =
		wf_firmware_identity_get(self->identity, WF_ROM_IDENTITY_FIELD_PROJECT);
	g_autofree gchar *cfg_name = NULL;
	g_autofree gchar *cfg_text = NULL;
	g_autofree gchar *manifest = NULL;
	const gchar *header_mode;

	g_array_set_clear_func(files, wf_dump_split_file_clear);
	wf_cfg_set_platform(cfg, platform);
	for (WfCfgRegion r = WF_CFG_REGION_BOOT; r <= WF_CFG_REGION_FILE_SYSTEM; r++) {
		if (r == WF_CFG_REGION_GPS_MODULE)
			continue;
		wf_cfg_set_has_region(cfg, r, TRUE);
		if (r == WF_CFG_REGION_BOOT || r == WF_CFG_REGION_MAIN)
			wf_cfg_set_alignment(cfg, r, "block");
	}
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		gboolean is_boot = r->kind == WF_DUMP_REGION_BOOTLOADER ||
				   r->kind == WF_DUMP_REGION_EXT_BOOTLOADER;
		if (r->file_type == 0 && r->kind != WF_DUMP_REGION_MAIN)
			continue;
		if (!wf_dump_split_add(files,
				       dir,
				       r->name,
				       WF_FIRMWARE_PACKAGE_ROLE_GFH,
				       buf,
				       r->offset,
				       r->length,
				       r->file_type,
				       error))
			return FALSE;
		wf_cfg_add_file(cfg, is_boot ? WF_CFG_REGION_BOOT : WF_CFG_REGION_MAIN, r->name);
		if (is_boot && n_boot < WF_BOOT_HEADER_MAX_BL) {
			boot[n_boot].offset = r->offset;
			boot[n_boot].length = r->length;
			boot[n_boot].file_type = r->file_type;
			n_boot++;
		}
	}
	wf_dump_cfg_add_emis(cfg, wf_rom_identity_get_rom_gfh(self->rom_identity), platform);

	header_mode = wf_dump_split_header_mode(self, boot, n_boot, rom->offset);
	for (guint i = 0; i < self->regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(self->regions, i);
		g_autofree gchar *name = NULL;
		const gchar *role;

		if (r->kind == WF_DUMP_REGION_HEADER_BLOCK && g_strcmp0(header_mode, "file") == 0) {
			name = g_strdup("HEADER_BLOCK.bin");
			role = WF_FIRMWARE_PACKAGE_ROLE_HEADER_BLOCK;
		} else if (r->kind == WF_DUMP_REGION_FS && !r->erased) {
			name = g_strdup("FS_NVRAM.bin");
			role = WF_FIRMWARE_PACKAGE_ROLE_FS_TAIL;
		} else if (r->kind == WF_DUMP_REGION_OTHER) {
			name = g_strdup_printf("%s.bin", r->name);
			role = WF_FIRMWARE_PACKAGE_ROLE_EXTRA;
		} else {
			continue;
		}
		if (!wf_dump_split_add(files, dir, name, role, buf, r->offset, r->length, 0, error))
			return FALSE;
	}

	if (project != NULL) {
		g_autofree gchar *safe = wf_dump_sanitize(project);
		cfg_name = g_strdup_printf("%s_BB.cfg", safe);
	} else {
		cfg_name = g_strdup("firmware.cfg");
	}
	cfg_text = wf_cfg_to_string(cfg);
	if (!wf_dump_write_file(dir, cfg_name, (const guint8 *)cfg_text, strlen(cfg_text), error))
		return FALSE;
	manifest = wf_dump_manifest(self, files, cfg_name, header_mode);
	return wf_dump_write_file(
		dir, WF_DUMP_MANIFEST_NAME, (const guint8 *)manifest, strlen(manifest), error);
}

static void
wf_dump_remove_tree(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(dir);
}

/**
 * wf_dump_split:
 * @self: a parsed full dump
 * @dir: the folder to create; must not exist
 * @error: (out): return location
 *
 * Writes a package: every GFH file cut at its FILE_INFO file_len, a cfg
 * (the ROM's platform and CMEM_ID_INFO list as external_memory), the
 * file-system tail, any other non-erased bytes and the header block when
 * the builder would not reproduce it, plus wristflash-split.json saying
 * where the raw parts go. SP Flash Tool reads the cfg and the GFH files;
 * wf_dump_rebuild() reproduces the dump byte for byte.
 *
 * Returns: %TRUE on success
 */
gboolean
wf_dump_split(WfDump *self, const gchar *dir, GError **error)
{
	g_autofree gchar *parent = NULL;
	g_autofree gchar *base = NULL;
	g_autofree gchar *tmpl = NULL;

	g_return_val_if_fail(WF_IS_DUMP(self), FALSE);
	g_return_val_if_fail(dir != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (self->image == NULL || self->kind != WF_DUMP_KIND_FULL) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_NOT_SUPPORTED,
				    "only a full-flash dump can be split; this is a single binary");
		return FALSE;
	}
	if (wf_dump_get_region(self, WF_DUMP_REGION_ROM) == NULL) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_NOT_FOUND,
				    "the dump has no MAUI ROM: there is no firmware to split out");
		return FALSE;
	}
	if (wf_firmware_identity_get_platform(self->identity) == NULL) {
		g_set_error_literal(
			error,
			WF_ERROR,
			WF_ERROR_INVALID_DATA,
			"the ROM does not say which platform it is for; the cfg needs it");
		return FALSE;
	}
	if (g_file_test(dir, G_FILE_TEST_EXISTS)) {
		g_set_error(error, WF_ERROR, WF_ERROR_EXISTS, "%s already exists", dir);
		return FALSE;
	}
	/* write next to the target and rename at the end: no half-written package */
	parent = g_path_get_dirname(dir);
	base = g_path_get_basename(dir);
	if (g_mkdir_with_parents(parent, 0755) != 0) {
		wf_error_convert_errno(error, errno, parent);
		return FALSE;
	}
	tmpl = g_build_filename(parent, ".wf-split-XXXXXX", NULL);
	if (g_mkdtemp(tmpl) == NULL) {
		wf_error_convert_errno(error, errno, parent);
		return FALSE;
	}
	if (!wf_dump_split_into(self, tmpl, error)) {
		wf_dump_remove_tree(tmpl);
		return FALSE;
	}
	if (g_file_test(dir, G_FILE_TEST_EXISTS)) {
		wf_dump_remove_tree(tmpl);
		g_set_error(error, WF_ERROR, WF_ERROR_EXISTS, "%s already exists", dir);
		return FALSE;
	}
	if (g_rename(tmpl, dir) != 0) {
		int errsv = errno;
		wf_dump_remove_tree(tmpl);
		wf_error_convert_errno(error, errsv, dir);
		return FALSE;
	}
	return TRUE;
}

/* ---- rebuild --------------------------------------------------------------------------------- */

static guint32
wf_dump_rebuild_main_region(WfFirmwarePackage *package)
{
	const WfFirmwarePackageFile *rom = wf_firmware_package_get_rom(package);
	GPtrArray *files = wf_firmware_package_get_files(package);

	if (rom != NULL)
		return rom->source_offset;
	for (guint i = 0; i < files->len; i++) {
		WfFirmwarePackageFile *f = g_ptr_array_index(files, i);
		if (g_strcmp0(f->role, WF_FIRMWARE_PACKAGE_ROLE_GFH) == 0 &&
		    f->kind == WF_FLASH_REGION_KIND_MAIN)
			return f->source_offset;
	}
	return 0;
}

static gboolean
wf_dump_rebuild_header(WfFirmwarePackage *package, guint8 *buf, guint32 size, GError **error)
{
	GPtrArray *files = wf_firmware_package_get_files(package);
	WfDumpPlaced boot[WF_BOOT_HEADER_MAX_BL] = {0};
	g_autoptr(GBytes) header = NULL;
	guint n_boot = 0;

	for (guint i = 0; i < files->len; i++) {
		WfFirmwarePackageFile *f = g_ptr_array_index(files, i);
		if (g_strcmp0(f->role, WF_FIRMWARE_PACKAGE_ROLE_GFH) != 0 ||
		    f->kind != WF_FLASH_REGION_KIND_BOOTLOADER)
			continue;
		if (n_boot == WF_BOOT_HEADER_MAX_BL) {
			n_boot++;
			break;
		}
		boot[n_boot].offset = f->source_offset;
		boot[n_boot].length = f->length;
		boot[n_boot].file_type = f->file_info.file_type;
		n_boot++;
	}
	header = wf_dump_build_header(boot, n_boot, wf_dump_rebuild_main_region(package), error);
	if (header == NULL) {
		g_prefix_error(error, "cannot write a header block: ");
		return FALSE;
	}
	if (g_bytes_get_size(header) > size) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_INVALID_DATA, "the flash is too small");
		return FALSE;
	}
	memcpy(buf, g_bytes_get_data(header, NULL), g_bytes_get_size(header));
	return TRUE;
}

/**
 * wf_dump_rebuild:
 * @package: a loaded package (a split, or any firmware package)
 * @flash_size: the image size, or 0 for the size a split recorded
 * @flags: %WF_DUMP_REBUILD_FLAG_EXACT to reproduce a missing header block
 * @error: (out): return location
 *
 * Puts a flash image together: 0xFF everywhere, every file at the offset
 * its source dump had (or FILE_INFO gives), the raw regions of a split,
 * and the header block: the split's own bytes, or the builder's output.
 * Without %WF_DUMP_REBUILD_FLAG_EXACT an image whose source had no header
 * block gets one, which is what un-bricks a watch.
 *
 * Returns: (transfer full): the image, or %NULL
 */
GBytes *
wf_dump_rebuild(WfFirmwarePackage *package,
		guint32 flash_size,
		WfDumpRebuildFlags flags,
		GError **error)
{
	g_autofree guint8 *buf = NULL;
	GPtrArray *files;
	const gchar *header_mode;
	gboolean has_header_file = FALSE;

	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(package), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	files = wf_firmware_package_get_files(package);
	if (files->len == 0) {
		g_set_error_literal(error, WF_ERROR, WF_ERROR_INVALID_DATA, "the package is empty");
		return NULL;
	}
	if (flash_size == 0)
		flash_size = wf_firmware_package_get_flash_size(package);
	if (flash_size == 0) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "the package does not say how big the flash is: give the size");
		return NULL;
	}
	if (flash_size > WF_DUMP_MAX_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_SUPPORTED,
			    "%u bytes is more than any watch flash (16 MiB)",
			    flash_size);
		return NULL;
	}
	if (!wf_firmware_package_check_flash_size(package, flash_size, error))
		return NULL;
	buf = g_malloc(flash_size);
	memset(buf, 0xFF, flash_size);

	for (guint i = 0; i < files->len; i++) {
		WfFirmwarePackageFile *f = g_ptr_array_index(files, i);
		if (g_strcmp0(f->role, WF_FIRMWARE_PACKAGE_ROLE_HEADER_BLOCK) == 0)
			has_header_file = TRUE;
		memcpy(buf + f->source_offset, g_bytes_get_data(f->data, NULL), f->length);
	}
	header_mode = wf_firmware_package_get_header_block(package);
	/* a split of a watch without a header block reproduces that only when
	 * asked to; every other image gets the builder's block */
	if (!has_header_file &&
	    !(g_strcmp0(header_mode, "absent") == 0 && (flags & WF_DUMP_REBUILD_FLAG_EXACT) != 0)) {
		if (!wf_dump_rebuild_header(package, buf, flash_size, error))
			return NULL;
	}
	return g_bytes_new_take(g_steal_pointer(&buf), flash_size);
}
