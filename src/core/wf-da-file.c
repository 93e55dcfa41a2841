/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-da-file.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wf-error.h"

struct _WfDaFile {
	GObject parent_instance;
	GBytes *blob;
	gchar *path;
	WfDaFileKind kind;
	gchar *identifier;
	gchar *build;
	guint32 header_value; /* u32 at 0x60, meaning unknown (4 in known files) */
	guint entry_size;
	GArray *entries; /* (element-type WfDaEntry) */
};

G_DEFINE_FINAL_TYPE(WfDaFile, wf_da_file, G_TYPE_OBJECT)

/* pymtkflasher / Wiz-IO flat build, 141 816 bytes (protocol.md §4.3); the
 * signature lengths are what those tools send and the boot ROM accepts */
static const WfDaFlatLayout wf_da_flat_layout_wiz = {
	.stage1_len = 0x718,
	.stage2_len = 0x1E5C8,
	.table_offset = 0x1ECE0,
	.stage1_addr = WF_DA_STAGE1_ADDR,
	.stage2_addr = WF_DA_STAGE2_ADDR,
	.stage1_sig_len = 0x400,
	.stage2_sig_len = 0x800,
	.hw_code = 0x6261,
};

static guint16
wf_da_file_u16(const guint8 *p)
{
	return (guint16)(p[0] | (p[1] << 8));
}

static guint32
wf_da_file_u32(const guint8 *p)
{
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

/* NUL-padded ASCII field → printable UTF-8, never longer than the field */
static gchar *
wf_da_file_ascii(const guint8 *p, gsize len)
{
	GString *str = g_string_new(NULL);

	for (gsize i = 0; i < len && p[i] != '\0'; i++)
		g_string_append_c(str, g_ascii_isprint(p[i]) ? (gchar)p[i] : '?');
	return g_string_free(str, FALSE);
}

static void
wf_da_file_finalize(GObject *object)
{
	WfDaFile *self = WF_DA_FILE(object);

	g_clear_pointer(&self->blob, g_bytes_unref);
	g_free(self->path);
	g_free(self->identifier);
	g_free(self->build);
	g_array_unref(self->entries);
	G_OBJECT_CLASS(wf_da_file_parent_class)->finalize(object);
}

static void
wf_da_file_class_init(WfDaFileClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_da_file_finalize;
}

static void
wf_da_file_init(WfDaFile *self)
{
	self->entries = g_array_new(FALSE, TRUE, sizeof(WfDaEntry));
}

WfDaFile *
wf_da_file_new(void)
{
	return g_object_new(WF_TYPE_DA_FILE, NULL);
}

static void
wf_da_file_reset(WfDaFile *self)
{
	g_clear_pointer(&self->blob, g_bytes_unref);
	g_clear_pointer(&self->identifier, g_free);
	g_clear_pointer(&self->build, g_free);
	g_array_set_size(self->entries, 0);
	self->entry_size = 0;
	self->header_value = 0;
}

static gboolean
wf_da_file_region_in_file(WfDaFile *self, const WfDaRegion *region)
{
	gsize size = g_bytes_get_size(self->blob);
	return (guint64)region->offset + region->length <= size;
}

/* Says why the feature-phone sequence (stage 1, stage 2, flash table at
 * region_index..+2) cannot use @entry; regions are in the file's bounds
 * or the entry is unusable, so later slicing never needs to re-check. */
static const gchar *
wf_da_file_check_entry(WfDaFile *self, const WfDaEntry *entry)
{
	const WfDaRegion *stage1;
	const WfDaRegion *stage2;
	const WfDaRegion *table;

	if (entry->region_count > WF_DA_FILE_MAX_REGIONS)
		return "it claims more than 10 regions";
	for (guint i = 0; i < WF_DA_FILE_MAX_REGIONS; i++) {
		if (entry->regions[i].length > 0 &&
		    !wf_da_file_region_in_file(self, &entry->regions[i]))
			return "a region lies past the end of the file (is the file truncated?)";
	}
	if ((guint)entry->region_index + 2 >= WF_DA_FILE_MAX_REGIONS)
		return "its first region index is out of range";
	stage1 = wf_da_entry_get_stage1(entry);
	stage2 = wf_da_entry_get_stage2(entry);
	table = wf_da_entry_get_flash_table(entry);
	if (stage1->length == 0 || stage2->length == 0)
		return "it has no stage 1 or stage 2";
	if (stage1->sig_len >= stage1->length || stage2->sig_len >= stage2->length)
		return "a stage is not longer than its signature";
	if (stage1->load_addr % 2 != 0 || stage2->load_addr % 2 != 0)
		return "a stage has an odd load address";
	if (table->length < WF_DA_FLASH_RECORD_SIZE)
		return "it has no NOR flash table (not a feature-phone Download Agent)";
	return NULL;
}

static void
wf_da_file_parse_region(const guint8 *p, WfDaRegion *region)
{
	region->offset = wf_da_file_u32(p + 0);
	region->length = wf_da_file_u32(p + 4);
	region->load_addr = wf_da_file_u32(p + 8);
	region->start_offset = wf_da_file_u32(p + 12);
	region->sig_len = wf_da_file_u32(p + 16);
}

static void
wf_da_file_parse_entry(const guint8 *p, gboolean old_format, guint idx, WfDaEntry *entry)
{
	/* the old 0xD8-byte format lacks sw_version and one reserved u16 */
	gsize shift = old_format ? 4 : 0;
	const guint8 *regions;

	memset(entry, 0, sizeof(*entry));
	entry->index = idx;
	entry->hw_code = wf_da_file_u16(p + 0x02);
	entry->hw_sub_code = wf_da_file_u16(p + 0x04);
	entry->hw_version = wf_da_file_u16(p + 0x06);
	if (!old_format)
		entry->sw_version = wf_da_file_u16(p + 0x08);
	entry->page_size = wf_da_file_u16(p + 0x0C - shift);
	entry->region_index = wf_da_file_u16(p + 0x10 - shift);
	entry->region_count = wf_da_file_u16(p + 0x12 - shift);
	regions = p + 0x14 - shift;
	for (guint i = 0; i < WF_DA_FILE_MAX_REGIONS; i++)
		wf_da_file_parse_region(regions + i * 20, &entry->regions[i]);
}

/* old vs new entry size: MTKCLIENT's rule (§4.1) is "old if the entry magic
 * sits 0xD8 bytes after the first one"; with a single entry nothing follows,
 * so the next magic cannot decide and the new size is assumed */
static gboolean
wf_da_file_detect_entry_size(const guint8 *buf, gsize size, guint32 count, guint *entry_size)
{
	gsize first = WF_DA_FILE_HEADER_SIZE;

	if (count < 2) {
		*entry_size = WF_DA_FILE_ENTRY_SIZE_NEW;
		return TRUE;
	}
	if (first + WF_DA_FILE_ENTRY_SIZE_OLD + 2 <= size &&
	    wf_da_file_u16(buf + first + WF_DA_FILE_ENTRY_SIZE_OLD) == WF_DA_FILE_ENTRY_MAGIC) {
		*entry_size = WF_DA_FILE_ENTRY_SIZE_OLD;
		return TRUE;
	}
	if (first + WF_DA_FILE_ENTRY_SIZE_NEW + 2 <= size &&
	    wf_da_file_u16(buf + first + WF_DA_FILE_ENTRY_SIZE_NEW) == WF_DA_FILE_ENTRY_MAGIC) {
		*entry_size = WF_DA_FILE_ENTRY_SIZE_NEW;
		return TRUE;
	}
	return FALSE;
}

/**
 * wf_da_file_parse:
 * @self: a #WfDaFile
 * @blob: the whole MTK_AllInOne_DA.bin
 * @error: (out): return location
 *
 * Reads the container header and every entry. Entries whose regions do not
 * fit the file are kept but marked with a problem, so a damaged entry for
 * another chip does not make the file useless.
 */
gboolean
wf_da_file_parse(WfDaFile *self, GBytes *blob, GError **error)
{
	const guint8 *buf;
	gsize size = 0;
	guint32 count;
	guint entry_size = 0;

	g_return_val_if_fail(WF_IS_DA_FILE(self), FALSE);
	g_return_val_if_fail(blob != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_da_file_reset(self);
	buf = g_bytes_get_data(blob, &size);
	if (size < WF_DA_FILE_HEADER_SIZE ||
	    memcmp(buf, WF_DA_FILE_MAGIC, strlen(WF_DA_FILE_MAGIC)) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "not a Download Agent container: it does not start with \"%s\" (a flat "
			    "DA file needs its layout named)",
			    WF_DA_FILE_MAGIC);
		return FALSE;
	}
	if (size > WF_DA_FILE_MAX_SIZE) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "the Download Agent file is %" G_GSIZE_FORMAT
			    " bytes, more than any real one",
			    size);
		return FALSE;
	}
	if (wf_da_file_u32(buf + 0x64) != WF_DA_FILE_HEADER_MAGIC) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "the Download Agent header has magic 0x%08X instead of 0x%08X",
			    wf_da_file_u32(buf + 0x64),
			    (guint)WF_DA_FILE_HEADER_MAGIC);
		return FALSE;
	}
	count = wf_da_file_u32(buf + 0x68);
	if (count == 0 || count > WF_DA_FILE_MAX_ENTRIES) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "the Download Agent file claims %u entries",
			    count);
		return FALSE;
	}
	if (size < WF_DA_FILE_HEADER_SIZE + 2 ||
	    wf_da_file_u16(buf + WF_DA_FILE_HEADER_SIZE) != WF_DA_FILE_ENTRY_MAGIC) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "the first Download Agent entry lacks its 0xDADA magic");
		return FALSE;
	}
	if (!wf_da_file_detect_entry_size(buf, size, count, &entry_size)) {
		g_set_error_literal(
			error,
			WF_ERROR,
			WF_ERROR_INVALID_FILE,
			"the Download Agent entries are neither 0xD8 nor 0xDC bytes long");
		return FALSE;
	}
	if ((guint64)WF_DA_FILE_HEADER_SIZE + (guint64)count * entry_size > size) {
		g_set_error(
			error,
			WF_ERROR,
			WF_ERROR_INVALID_FILE,
			"the Download Agent file is truncated: %u entries of %u bytes do not fit "
			"in %" G_GSIZE_FORMAT " bytes",
			count,
			entry_size,
			size);
		return FALSE;
	}

	self->blob = g_bytes_ref(blob);
	self->kind = WF_DA_FILE_KIND_ALL_IN_ONE;
	self->identifier = wf_da_file_ascii(buf, 0x20);
	self->build = wf_da_file_ascii(buf + 0x20, 0x40);
	self->header_value = wf_da_file_u32(buf + 0x60);
	self->entry_size = entry_size;
	for (guint i = 0; i < count; i++) {
		const guint8 *p = buf + WF_DA_FILE_HEADER_SIZE + (gsize)i * entry_size;
		WfDaEntry entry;

		if (wf_da_file_u16(p) != WF_DA_FILE_ENTRY_MAGIC) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "Download Agent entry %u lacks its 0xDADA magic",
				    i);
			wf_da_file_reset(self);
			return FALSE;
		}
		wf_da_file_parse_entry(p, entry_size == WF_DA_FILE_ENTRY_SIZE_OLD, i, &entry);
		entry.problem = wf_da_file_check_entry(self, &entry);
		g_array_append_val(self->entries, entry);
	}
	return TRUE;
}

/* the flat table runs to its terminator record, inclusive (the count the
 * tools send in the parameter block counts it too) */
static guint32
wf_da_file_flat_table_length(const guint8 *buf, gsize size, guint32 offset)
{
	guint32 len = 0;

	while ((guint64)offset + len + WF_DA_FLASH_RECORD_SIZE <= size) {
		guint32 id = wf_da_file_u32(buf + offset + len);
		len += WF_DA_FLASH_RECORD_SIZE;
		if (id == WF_DA_FLASH_RECORD_TERMINATOR)
			break;
	}
	return len;
}

/**
 * wf_da_file_parse_flat:
 * @self: a #WfDaFile
 * @blob: the whole file
 * @layout: where stage 1, stage 2 and the flash table are
 * @error: (out): return location
 *
 * Reads a flat DA file: one entry for @layout's chip, regions 0..2 =
 * stage 1, stage 2, flash table.
 */
gboolean
wf_da_file_parse_flat(WfDaFile *self, GBytes *blob, const WfDaFlatLayout *layout, GError **error)
{
	const guint8 *buf;
	gsize size = 0;
	guint32 table_offset;
	WfDaEntry entry = {0};

	g_return_val_if_fail(WF_IS_DA_FILE(self), FALSE);
	g_return_val_if_fail(blob != NULL, FALSE);
	g_return_val_if_fail(layout != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	wf_da_file_reset(self);
	buf = g_bytes_get_data(blob, &size);
	table_offset = layout->table_offset != 0 ? layout->table_offset
						 : layout->stage1_len + layout->stage2_len;
	if (layout->stage1_len == 0 || layout->stage2_len == 0 || size > WF_DA_FILE_MAX_SIZE ||
	    (guint64)layout->stage1_len + layout->stage2_len > table_offset ||
	    (guint64)table_offset + WF_DA_FLASH_RECORD_SIZE > size) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "the flat Download Agent layout (stage 1 0x%X bytes, stage 2 0x%X "
			    "bytes, flash table at 0x%X) does not fit a %" G_GSIZE_FORMAT
			    "-byte file",
			    layout->stage1_len,
			    layout->stage2_len,
			    table_offset,
			    size);
		return FALSE;
	}
	self->blob = g_bytes_ref(blob);
	self->kind = WF_DA_FILE_KIND_FLAT;
	self->identifier = g_strdup("flat");
	self->build = g_strdup_printf("stage1=0x%X,stage2=0x%X,table=0x%X",
				      layout->stage1_len,
				      layout->stage2_len,
				      table_offset);
	entry.hw_code = layout->hw_code;
	entry.region_index = 0;
	entry.region_count = 3;
	entry.regions[0].offset = 0;
	entry.regions[0].length = layout->stage1_len;
	entry.regions[0].load_addr =
		layout->stage1_addr != 0 ? layout->stage1_addr : WF_DA_STAGE1_ADDR;
	entry.regions[0].sig_len = layout->stage1_sig_len;
	entry.regions[1].offset = layout->stage1_len;
	entry.regions[1].length = layout->stage2_len;
	entry.regions[1].load_addr =
		layout->stage2_addr != 0 ? layout->stage2_addr : WF_DA_STAGE2_ADDR;
	entry.regions[1].sig_len = layout->stage2_sig_len;
	entry.regions[2].offset = table_offset;
	entry.regions[2].length = wf_da_file_flat_table_length(buf, size, table_offset);
	entry.problem = wf_da_file_check_entry(self, &entry);
	g_array_append_val(self->entries, entry);
	return TRUE;
}

/**
 * wf_da_file_new_from_bytes:
 * @blob: the file's bytes
 * @flat: (nullable): the layout of a flat file, or %NULL for a container
 * @error: (out): return location
 */
WfDaFile *
wf_da_file_new_from_bytes(GBytes *blob, const WfDaFlatLayout *flat, GError **error)
{
	g_autoptr(WfDaFile) self = wf_da_file_new();

	g_return_val_if_fail(blob != NULL, NULL);

	if (flat != NULL) {
		if (!wf_da_file_parse_flat(self, blob, flat, error))
			return NULL;
	} else if (!wf_da_file_parse(self, blob, error)) {
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * wf_da_file_new_from_path:
 * @path: a file name
 * @flat: (nullable): the layout of a flat file, or %NULL for a container
 * @error: (out): return location
 */
WfDaFile *
wf_da_file_new_from_path(const gchar *path, const WfDaFlatLayout *flat, GError **error)
{
	g_autoptr(GMappedFile) mapped = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error_local = NULL;
	WfDaFile *self;

	g_return_val_if_fail(path != NULL, NULL);

	mapped = g_mapped_file_new(path, FALSE, &error_local);
	if (mapped == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
				    ? WF_ERROR_NOT_FOUND
				    : WF_ERROR_READ,
			    "cannot read the Download Agent file: %s",
			    error_local->message);
		return NULL;
	}
	blob = g_mapped_file_get_bytes(mapped);
	self = wf_da_file_new_from_bytes(blob, flat, &error_local);
	if (self == NULL) {
		g_propagate_prefixed_error(error, g_steal_pointer(&error_local), "%s: ", path);
		return NULL;
	}
	self->path = g_strdup(path);
	return self;
}

/**
 * wf_da_flat_layout_get_wiz:
 *
 * Returns: the layout of the 141 816-byte flat DA build that pymtkflasher
 * and Wiz-IO use (mt6261_da.bin / MT6261.bin)
 */
const WfDaFlatLayout *
wf_da_flat_layout_get_wiz(void)
{
	return &wf_da_flat_layout_wiz;
}

static gboolean
wf_da_flat_layout_parse_number(
	const gchar *key, const gchar *value, guint64 max, guint64 *out, GError **error)
{
	guint base = 10;

	if (g_str_has_prefix(value, "0x") || g_str_has_prefix(value, "0X")) {
		base = 16;
		value += 2;
	}
	if (!g_ascii_string_to_unsigned(value, base, 0, max, out, NULL)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    "flat DA layout: %s=%s is not a number",
			    key,
			    value);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_da_flat_layout_parse:
 * @text: "wiz", or comma-separated key=value pairs: stage1, stage2 (lengths),
 *   table (offset), addr1, addr2, sig1, sig2, hw (chip code); numbers in
 *   decimal or 0x-hex
 * @layout: (out): the layout
 * @error: (out): return location
 */
gboolean
wf_da_flat_layout_parse(const gchar *text, WfDaFlatLayout *layout, GError **error)
{
	g_auto(GStrv) parts = NULL;

	g_return_val_if_fail(text != NULL, FALSE);
	g_return_val_if_fail(layout != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (g_ascii_strcasecmp(text, "wiz") == 0) {
		*layout = wf_da_flat_layout_wiz;
		return TRUE;
	}
	memset(layout, 0, sizeof(*layout));
	parts = g_strsplit(text, ",", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		g_auto(GStrv) kv = g_strsplit(g_strstrip(parts[i]), "=", 2);
		guint64 value = 0;
		guint64 max = G_MAXUINT32;

		if (g_strv_length(kv) != 2) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "flat DA layout: \"%s\" is not key=value",
				    parts[i]);
			return FALSE;
		}
		if (g_strcmp0(kv[0], "hw") == 0)
			max = G_MAXUINT16;
		if (!wf_da_flat_layout_parse_number(kv[0], kv[1], max, &value, error))
			return FALSE;
		if (g_strcmp0(kv[0], "stage1") == 0)
			layout->stage1_len = (guint32)value;
		else if (g_strcmp0(kv[0], "stage2") == 0)
			layout->stage2_len = (guint32)value;
		else if (g_strcmp0(kv[0], "table") == 0)
			layout->table_offset = (guint32)value;
		else if (g_strcmp0(kv[0], "addr1") == 0)
			layout->stage1_addr = (guint32)value;
		else if (g_strcmp0(kv[0], "addr2") == 0)
			layout->stage2_addr = (guint32)value;
		else if (g_strcmp0(kv[0], "sig1") == 0)
			layout->stage1_sig_len = (guint32)value;
		else if (g_strcmp0(kv[0], "sig2") == 0)
			layout->stage2_sig_len = (guint32)value;
		else if (g_strcmp0(kv[0], "hw") == 0)
			layout->hw_code = (guint16)value;
		else {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "flat DA layout: unknown key \"%s\" (known: stage1, stage2, "
				    "table, addr1, addr2, sig1, sig2, hw)",
				    kv[0]);
			return FALSE;
		}
	}
	if (layout->stage1_len == 0 || layout->stage2_len == 0) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    "flat DA layout: stage1 and stage2 lengths are required");
		return FALSE;
	}
	return TRUE;
}

WfDaFileKind
wf_da_file_get_kind(WfDaFile *self)
{
	g_return_val_if_fail(WF_IS_DA_FILE(self), WF_DA_FILE_KIND_ALL_IN_ONE);
	return self->kind;
}

const gchar *
wf_da_file_get_path(WfDaFile *self)
{
	g_return_val_if_fail(WF_IS_DA_FILE(self), NULL);
	return self->path;
}

const gchar *
wf_da_file_get_identifier(WfDaFile *self)
{
	g_return_val_if_fail(WF_IS_DA_FILE(self), NULL);
	return self->identifier;
}

const gchar *
wf_da_file_get_build(WfDaFile *self)
{
	g_return_val_if_fail(WF_IS_DA_FILE(self), NULL);
	return self->build;
}

/* 0xD8 or 0xDC for a container, 0 for a flat file */
guint
wf_da_file_get_entry_size(WfDaFile *self)
{
	g_return_val_if_fail(WF_IS_DA_FILE(self), 0);
	return self->entry_size;
}

guint
wf_da_file_get_n_entries(WfDaFile *self)
{
	g_return_val_if_fail(WF_IS_DA_FILE(self), 0);
	return self->entries->len;
}

const WfDaEntry *
wf_da_file_get_entry(WfDaFile *self, guint idx)
{
	g_return_val_if_fail(WF_IS_DA_FILE(self), NULL);
	g_return_val_if_fail(idx < self->entries->len, NULL);
	return &g_array_index(self->entries, WfDaEntry, idx);
}

const WfDaRegion *
wf_da_entry_get_stage1(const WfDaEntry *entry)
{
	g_return_val_if_fail(entry != NULL, NULL);
	g_return_val_if_fail((guint)entry->region_index + 2 < WF_DA_FILE_MAX_REGIONS, NULL);
	return &entry->regions[entry->region_index];
}

const WfDaRegion *
wf_da_entry_get_stage2(const WfDaEntry *entry)
{
	g_return_val_if_fail(entry != NULL, NULL);
	g_return_val_if_fail((guint)entry->region_index + 2 < WF_DA_FILE_MAX_REGIONS, NULL);
	return &entry->regions[entry->region_index + 1];
}

const WfDaRegion *
wf_da_entry_get_flash_table(const WfDaEntry *entry)
{
	g_return_val_if_fail(entry != NULL, NULL);
	g_return_val_if_fail((guint)entry->region_index + 2 < WF_DA_FILE_MAX_REGIONS, NULL);
	return &entry->regions[entry->region_index + 2];
}

/**
 * wf_da_file_get_region_bytes:
 * @self: a #WfDaFile
 * @region: a region of one of its entries
 *
 * Returns: (transfer full) (nullable): the region's bytes, or %NULL if it does
 * not lie inside the file
 */
GBytes *
wf_da_file_get_region_bytes(WfDaFile *self, const WfDaRegion *region)
{
	g_return_val_if_fail(WF_IS_DA_FILE(self), NULL);
	g_return_val_if_fail(region != NULL, NULL);

	if (self->blob == NULL || !wf_da_file_region_in_file(self, region))
		return NULL;
	return g_bytes_new_from_bytes(self->blob, region->offset, region->length);
}

/* 36-byte records in @entry's flash table, the count the parameter block sends */
guint
wf_da_file_get_n_flash_records(WfDaFile *self, const WfDaEntry *entry)
{
	g_return_val_if_fail(WF_IS_DA_FILE(self), 0);
	g_return_val_if_fail(entry != NULL, 0);

	if ((guint)entry->region_index + 2 >= WF_DA_FILE_MAX_REGIONS)
		return 0;
	return wf_da_entry_get_flash_table(entry)->length / WF_DA_FLASH_RECORD_SIZE;
}

static gboolean
wf_da_file_entry_matches(WfDaFile *self,
			 const WfDaEntry *entry,
			 guint16 hw_code,
			 guint16 hw_sub_code,
			 guint16 hw_version,
			 guint16 sw_version)
{
	/* a flat file that does not name its chip is taken on trust */
	if (self->kind == WF_DA_FILE_KIND_FLAT && entry->hw_code == 0)
		return TRUE;
	if (entry->hw_code == 0 || entry->hw_code != hw_code)
		return FALSE;
	if (entry->hw_version > hw_version || entry->sw_version > sw_version)
		return FALSE;
	/* SP Flash Tool also matches the sub code; 0 on either side means "any" */
	if (entry->hw_sub_code != 0 && hw_sub_code != 0 && entry->hw_sub_code != hw_sub_code)
		return FALSE;
	return TRUE;
}

static gchar *
wf_da_file_supported_chips(WfDaFile *self, guint16 hw_code)
{
	g_autoptr(GString) str = g_string_new(NULL);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);

	for (guint i = 0; i < self->entries->len; i++) {
		const WfDaEntry *entry = &g_array_index(self->entries, WfDaEntry, i);

		if (entry->hw_code == 0)
			continue;
		if (entry->hw_code == hw_code) {
			/* same chip: the versions are what the user needs to see */
			if (str->len > 0)
				g_string_append(str, ", ");
			g_string_append_printf(str,
					       "MT%04X (0x%04X) hw 0x%04X sw 0x%04X sub 0x%04X",
					       entry->hw_code,
					       entry->hw_code,
					       entry->hw_version,
					       entry->sw_version,
					       entry->hw_sub_code);
			continue;
		}
		if (g_hash_table_contains(seen, GUINT_TO_POINTER(entry->hw_code)))
			continue;
		g_hash_table_add(seen, GUINT_TO_POINTER(entry->hw_code));
		if (str->len > 0)
			g_string_append(str, ", ");
		g_string_append_printf(str, "MT%04X (0x%04X)", entry->hw_code, entry->hw_code);
	}
	if (str->len == 0)
		g_string_append(str, "no chip at all");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/**
 * wf_da_file_select:
 * @self: a #WfDaFile
 * @hw_code: the chip's code (0x80000008, e.g. 0x6261)
 * @hw_sub_code: 0x8000000C, or 0 to ignore
 * @hw_version: 0x80000000, e.g. 0xCB01
 * @sw_version: 0x80000004, e.g. 0x0001
 * @error: (out): return location
 *
 * Picks the first entry for this chip whose hw_version and sw_version are
 * not above the chip's (MTKCLIENT's rule) and whose sub code matches
 * (SP Flash Tool's). Entries with hw_code 0 are placeholders and ignored.
 *
 * Returns: the entry, or %NULL with an error naming what the file supports
 */
const WfDaEntry *
wf_da_file_select(WfDaFile *self,
		  guint16 hw_code,
		  guint16 hw_sub_code,
		  guint16 hw_version,
		  guint16 sw_version,
		  GError **error)
{
	const WfDaEntry *damaged = NULL;
	g_autofree gchar *supported = NULL;

	g_return_val_if_fail(WF_IS_DA_FILE(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	for (guint i = 0; i < self->entries->len; i++) {
		const WfDaEntry *entry = &g_array_index(self->entries, WfDaEntry, i);

		if (!wf_da_file_entry_matches(
			    self, entry, hw_code, hw_sub_code, hw_version, sw_version))
			continue;
		if (entry->problem != NULL) {
			if (damaged == NULL)
				damaged = entry;
			continue;
		}
		return entry;
	}
	if (damaged != NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "the Download Agent entry %u for MT%04X cannot be used: %s",
			    damaged->index,
			    damaged->hw_code,
			    damaged->problem);
		return NULL;
	}
	supported = wf_da_file_supported_chips(self, hw_code);
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_NOT_SUPPORTED,
		    "this Download Agent file supports %s; the watch is MT%04X hw 0x%04X sw 0x%04X "
		    "sub 0x%04X",
		    supported,
		    hw_code,
		    hw_version,
		    sw_version,
		    hw_sub_code);
	return NULL;
}

static void
wf_da_file_add_hex(JsonBuilder *builder, const gchar *key, guint32 value, guint width)
{
	g_autofree gchar *str = g_strdup_printf("0x%0*X", (gint)width, value);
	json_builder_set_member_name(builder, key);
	json_builder_add_string_value(builder, str);
}

static void
wf_da_file_add_region(JsonBuilder *builder, const WfDaRegion *region)
{
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "offset");
	json_builder_add_int_value(builder, region->offset);
	json_builder_set_member_name(builder, "length");
	json_builder_add_int_value(builder, region->length);
	wf_da_file_add_hex(builder, "load_address", region->load_addr, 8);
	json_builder_set_member_name(builder, "start_offset");
	json_builder_add_int_value(builder, region->start_offset);
	json_builder_set_member_name(builder, "signature_length");
	json_builder_add_int_value(builder, region->sig_len);
	json_builder_end_object(builder);
}

static void
wf_da_file_add_entry(WfDaFile *self, JsonBuilder *builder, const WfDaEntry *entry)
{
	g_autofree gchar *chip = NULL;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "index");
	json_builder_add_int_value(builder, entry->index);
	if (entry->hw_code != 0) {
		chip = g_strdup_printf("MT%04X", entry->hw_code);
		json_builder_set_member_name(builder, "chip");
		json_builder_add_string_value(builder, chip);
	}
	wf_da_file_add_hex(builder, "hw_code", entry->hw_code, 4);
	wf_da_file_add_hex(builder, "hw_sub_code", entry->hw_sub_code, 4);
	wf_da_file_add_hex(builder, "hw_version", entry->hw_version, 4);
	wf_da_file_add_hex(builder, "sw_version", entry->sw_version, 4);
	json_builder_set_member_name(builder, "page_size");
	json_builder_add_int_value(builder, entry->page_size);
	json_builder_set_member_name(builder, "region_index");
	json_builder_add_int_value(builder, entry->region_index);
	json_builder_set_member_name(builder, "region_count");
	json_builder_add_int_value(builder, entry->region_count);
	json_builder_set_member_name(builder, "regions");
	json_builder_begin_array(builder);
	for (guint i = 0; i < WF_DA_FILE_MAX_REGIONS; i++) {
		/* unused slots are all zero; list the used ones and the declared count */
		if (i >= entry->region_count && entry->regions[i].length == 0)
			continue;
		wf_da_file_add_region(builder, &entry->regions[i]);
	}
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "feature_phone_usable");
	json_builder_add_boolean_value(builder, entry->problem == NULL);
	if (entry->problem != NULL) {
		json_builder_set_member_name(builder, "problem");
		json_builder_add_string_value(builder, entry->problem);
	} else {
		json_builder_set_member_name(builder, "flash_table_records");
		json_builder_add_int_value(builder, wf_da_file_get_n_flash_records(self, entry));
	}
	json_builder_end_object(builder);
}

/**
 * wf_da_file_to_json:
 * @self: a #WfDaFile
 *
 * Returns: (transfer full): what `wristflash da-info` prints
 */
JsonNode *
wf_da_file_to_json(WfDaFile *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	g_return_val_if_fail(WF_IS_DA_FILE(self), NULL);

	json_builder_begin_object(builder);
	if (self->path != NULL) {
		json_builder_set_member_name(builder, "path");
		json_builder_add_string_value(builder, self->path);
	}
	json_builder_set_member_name(builder, "kind");
	json_builder_add_string_value(builder,
				      self->kind == WF_DA_FILE_KIND_FLAT ? "flat" : "all-in-one");
	json_builder_set_member_name(builder, "size");
	json_builder_add_int_value(builder, self->blob != NULL ? g_bytes_get_size(self->blob) : 0);
	if (self->identifier != NULL) {
		json_builder_set_member_name(builder, "identifier");
		json_builder_add_string_value(builder, self->identifier);
	}
	if (self->build != NULL) {
		json_builder_set_member_name(builder, "build");
		json_builder_add_string_value(builder, self->build);
	}
	if (self->kind == WF_DA_FILE_KIND_ALL_IN_ONE) {
		json_builder_set_member_name(builder, "entry_size");
		json_builder_add_int_value(builder, self->entry_size);
		json_builder_set_member_name(builder, "header_value_0x60");
		json_builder_add_int_value(builder, self->header_value);
	}
	json_builder_set_member_name(builder, "entries");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->entries->len; i++)
		wf_da_file_add_entry(self, builder, &g_array_index(self->entries, WfDaEntry, i));
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

static gboolean
wf_da_file_has_container_magic(const gchar *path)
{
	FILE *fp = g_fopen(path, "rb");
	gchar buf[sizeof(WF_DA_FILE_MAGIC) - 1];
	gboolean ok;

	if (fp == NULL)
		return FALSE;
	ok = fread(buf, 1, sizeof(buf), fp) == sizeof(buf) &&
	     memcmp(buf, WF_DA_FILE_MAGIC, sizeof(buf)) == 0;
	fclose(fp);
	return ok;
}

/* g_ptr_array_sort() hands over pointers to the elements */
static gint
wf_da_file_compare_paths(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* MTK_AllInOne_DA.bin in @dir, any letter case; with @any_container also
 * any *.bin that starts like a container (first in name order) */
static gchar *
wf_da_file_find_in_dir(const gchar *dir, gboolean any_container)
{
	g_autoptr(GDir) gdir = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	if (gdir == NULL)
		return NULL;
	while ((name = g_dir_read_name(gdir)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);

		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			continue;
		if (g_ascii_strcasecmp(name, WF_DA_FILE_NAME) == 0)
			return g_steal_pointer(&path);
		if (any_container && g_str_has_suffix(name, ".bin") &&
		    wf_da_file_has_container_magic(path))
			g_ptr_array_add(others, g_steal_pointer(&path));
	}
	if (others->len == 0)
		return NULL;
	g_ptr_array_sort(others, wf_da_file_compare_paths);
	return g_strdup(g_ptr_array_index(others, 0));
}

/**
 * wf_da_file_find:
 * @near_path: (nullable): a firmware package file or folder to look next to
 * @error: (out): return location
 *
 * Looks for MTK_AllInOne_DA.bin next to @near_path (its folder and the folder
 * above, where packs keep it), then in $XDG_DATA_HOME/wristflash/da/.
 *
 * Returns: (transfer full): the path, or %NULL with %WF_ERROR_NOT_FOUND
 */
gchar *
wf_da_file_find(const gchar *near_path, GError **error)
{
	g_autofree gchar *user_dir = NULL;
	g_autofree gchar *near_dir = NULL;
	gchar *found;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (near_path != NULL) {
		g_autofree gchar *parent = NULL;

		near_dir = g_file_test(near_path, G_FILE_TEST_IS_DIR)
				   ? g_strdup(near_path)
				   : g_path_get_dirname(near_path);
		found = wf_da_file_find_in_dir(near_dir, FALSE);
		if (found != NULL)
			return found;
		parent = g_path_get_dirname(near_dir);
		if (g_strcmp0(parent, near_dir) != 0) {
			found = wf_da_file_find_in_dir(parent, FALSE);
			if (found != NULL)
				return found;
		}
	}
	user_dir = g_build_filename(g_get_user_data_dir(), "wristflash", "da", NULL);
	found = wf_da_file_find_in_dir(user_dir, TRUE);
	if (found != NULL)
		return found;
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_NOT_FOUND,
		    "No Download Agent found%s%s: copy the " WF_DA_FILE_NAME
		    " that comes with every firmware pack and with SP Flash Tool into %s "
		    "(Wristflash does not ship MediaTek's binary).",
		    near_dir != NULL ? " next to " : "",
		    near_dir != NULL ? near_dir : "",
		    user_dir);
	return NULL;
}

/**
 * wf_da_file_remember_choice:
 * @path: a Download Agent file that worked
 * @error: (out): return location
 *
 * Remembers a Download Agent the user named, so the next command finds it
 * without being told: a symbolic link `MTK_AllInOne_DA.bin` in the user's DA
 * folder, which wf_da_file_find() looks at. A real file of that name there
 * (one the user copied in) is never replaced.
 *
 * Returns: %TRUE when remembered or nothing needed to be done
 */
gboolean
wf_da_file_remember_choice(const gchar *path, GError **error)
{
	g_autofree gchar *dir = g_build_filename(g_get_user_data_dir(), "wristflash", "da", NULL);
	g_autofree gchar *link_path = g_build_filename(dir, WF_DA_FILE_NAME, NULL);
	g_autofree gchar *target = NULL;
	g_autoptr(GFile) link = g_file_new_for_path(link_path);

	g_return_val_if_fail(path != NULL, FALSE);
	target = g_canonicalize_filename(path, NULL);
	if (g_file_test(link_path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK)) {
		g_autofree gchar *current = g_file_read_link(link_path, NULL);
		if (current == NULL || g_strcmp0(current, target) == 0)
			return TRUE; /* a real file the user put there, or already this one */
		if (!g_file_delete(link, NULL, error))
			return FALSE;
	}
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_WRITE,
			    "cannot create %s: %s",
			    dir,
			    g_strerror(errno));
		return FALSE;
	}
	return g_file_make_symbolic_link(link, target, NULL, error);
}
