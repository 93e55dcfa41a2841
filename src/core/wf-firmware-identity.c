/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-firmware-identity.h"

#include <string.h>

#include "wf-error.h"

/* the parts whose flash offsets the summary records, in print order */
static const gchar *const wf_firmware_identity_parts[] = {
	"bootloader",
	"ext_bootloader",
	"rom",
	"viva",
};

struct _WfFirmwareIdentity {
	GObject parent_instance;
	WfFirmwareIdentityKind kind;
	WfRomIdentity *rom;
	gchar *cfg_platform;
	GPtrArray *flash_ids;	  /* (element-type utf8) "C8 60 16", from CMEM_ID_INFO */
	GPtrArray *cfg_flash_ids; /* (element-type utf8) from the cfg's external_memory */
	WfComponentHints *hints;  /* NULL when the component table is not available */
	gboolean hints_tried;
	gchar *header_block;
	guint32 offsets[G_N_ELEMENTS(wf_firmware_identity_parts)];
	gboolean has_offset[G_N_ELEMENTS(wf_firmware_identity_parts)];
	gboolean has_fs;
	guint32 fs_base;
	guint32 fs_size;
	gboolean has_compression;
	gboolean lzma;
	gboolean alice;
	gboolean has_size;
	guint64 size;
	gchar *sha256;
	GPtrArray *warnings; /* (element-type utf8) */
};

G_DEFINE_FINAL_TYPE(WfFirmwareIdentity, wf_firmware_identity, G_TYPE_OBJECT)

const gchar *
wf_firmware_identity_kind_to_string(WfFirmwareIdentityKind kind)
{
	switch (kind) {
	case WF_FIRMWARE_IDENTITY_KIND_DUMP:
		return "dump";
	case WF_FIRMWARE_IDENTITY_KIND_ROM:
		return "rom";
	case WF_FIRMWARE_IDENTITY_KIND_PACKAGE:
		return "package";
	case WF_FIRMWARE_IDENTITY_KIND_UNKNOWN:
	default:
		return "unknown";
	}
}

static void
wf_firmware_identity_finalize(GObject *object)
{
	WfFirmwareIdentity *self = WF_FIRMWARE_IDENTITY(object);

	g_clear_object(&self->rom);
	g_clear_object(&self->hints);
	g_free(self->cfg_platform);
	g_free(self->header_block);
	g_free(self->sha256);
	g_ptr_array_unref(self->flash_ids);
	g_ptr_array_unref(self->cfg_flash_ids);
	g_ptr_array_unref(self->warnings);
	G_OBJECT_CLASS(wf_firmware_identity_parent_class)->finalize(object);
}

static void
wf_firmware_identity_class_init(WfFirmwareIdentityClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_firmware_identity_finalize;
}

static void
wf_firmware_identity_init(WfFirmwareIdentity *self)
{
	self->flash_ids = g_ptr_array_new_with_free_func(g_free);
	self->cfg_flash_ids = g_ptr_array_new_with_free_func(g_free);
	self->warnings = g_ptr_array_new_with_free_func(g_free);
}

/**
 * wf_firmware_identity_new:
 * @kind: what the identity describes
 *
 * Returns: (transfer full): an empty identity
 */
WfFirmwareIdentity *
wf_firmware_identity_new(WfFirmwareIdentityKind kind)
{
	WfFirmwareIdentity *self = g_object_new(WF_TYPE_FIRMWARE_IDENTITY, NULL);
	self->kind = kind;
	return self;
}

/**
 * wf_firmware_identity_format_flash_id:
 * @id: JEDEC id bytes
 * @id_len: how many are significant (at most 8)
 *
 * Returns: (transfer full): "C8 60 16"
 */
gchar *
wf_firmware_identity_format_flash_id(const guint8 *id, guint id_len)
{
	GString *str = g_string_new(NULL);

	g_return_val_if_fail(id != NULL || id_len == 0, NULL);
	for (guint i = 0; i < MIN(id_len, 8u); i++)
		g_string_append_printf(str, i == 0 ? "%02X" : " %02X", id[i]);
	return g_string_free(str, FALSE);
}

/* the component table is optional data: without it the identity is still
 * complete, only the VERNO tokens are not explained */
static WfComponentHints *
wf_firmware_identity_ensure_hints(WfFirmwareIdentity *self)
{
	g_autoptr(WfKnowledgeTable) table = NULL;
	g_autoptr(GError) error = NULL;

	if (self->hints != NULL || self->hints_tried)
		return self->hints;
	self->hints_tried = TRUE;
	table = wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_COMPONENTS);
	if (!wf_knowledge_table_load_default(table, &error)) {
		g_ptr_array_add(
			self->warnings,
			g_strdup_printf("version-string tokens not explained: %s", error->message));
		return NULL;
	}
	self->hints = wf_component_hints_new(table);
	return self->hints;
}

/**
 * wf_firmware_identity_set_rom_identity:
 * @self: a #WfFirmwareIdentity
 * @rom: the identity of the MAUI ROM
 *
 * Takes the build identity, the CMEM_ID_INFO flash-id list and the FS region
 * from @rom, and decodes the version string, branch and bin name into
 * component hints.
 */
void
wf_firmware_identity_set_rom_identity(WfFirmwareIdentity *self, WfRomIdentity *rom)
{
	const WfRomIdentityField hint_fields[] = {
		WF_ROM_IDENTITY_FIELD_VERNO,
		WF_ROM_IDENTITY_FIELD_BRANCH,
		WF_ROM_IDENTITY_FIELD_PROJECT,
		WF_ROM_IDENTITY_FIELD_HW_VER,
	};
	WfComponentHints *hints;
	WfGfh *gfh;

	g_return_if_fail(WF_IS_FIRMWARE_IDENTITY(self));
	g_return_if_fail(WF_IS_ROM_IDENTITY(rom));

	g_set_object(&self->rom, rom);
	g_ptr_array_set_size(self->flash_ids, 0);
	gfh = wf_rom_identity_get_rom_gfh(rom);
	if (gfh != NULL) {
		GArray *ids = wf_gfh_get_cmem_ids(gfh);
		guint32 base = 0, size = 0;
		for (guint i = 0; ids != NULL && i < ids->len; i++) {
			WfGfhCmemId *id = &g_array_index(ids, WfGfhCmemId, i);
			g_ptr_array_add(self->flash_ids,
					wf_firmware_identity_format_flash_id(id->id, id->id_len));
		}
		if (!self->has_fs && wf_gfh_get_fs_region(gfh, &base, &size))
			wf_firmware_identity_set_fs_region(self, base, size);
	}
	hints = wf_firmware_identity_ensure_hints(self);
	for (guint i = 0; hints != NULL && i < G_N_ELEMENTS(hint_fields); i++) {
		const gchar *value = wf_rom_identity_get(rom, hint_fields[i]);
		if (value != NULL)
			wf_component_hints_add_string(
				hints, wf_rom_identity_field_to_string(hint_fields[i]), value);
	}
}

/**
 * wf_firmware_identity_set_cfg:
 * @self: a #WfFirmwareIdentity
 * @cfg: the package's .cfg
 *
 * Records the cfg's platform and its external_memory flash-id list.
 */
void
wf_firmware_identity_set_cfg(WfFirmwareIdentity *self, WfCfg *cfg)
{
	GPtrArray *emis;

	g_return_if_fail(WF_IS_FIRMWARE_IDENTITY(self));
	g_return_if_fail(WF_IS_CFG(cfg));

	g_free(self->cfg_platform);
	self->cfg_platform = g_strdup(wf_cfg_get_platform(cfg));
	g_ptr_array_set_size(self->cfg_flash_ids, 0);
	emis = wf_cfg_get_emis(cfg);
	for (guint i = 0; emis != NULL && i < emis->len; i++) {
		WfCfgEmi *emi = g_ptr_array_index(emis, i);
		g_ptr_array_add(
			self->cfg_flash_ids,
			wf_firmware_identity_format_flash_id(emi->flash_id, emi->id_length));
	}
}

/**
 * wf_firmware_identity_set_image:
 * @self: a #WfFirmwareIdentity
 * @image: the bytes identified (dump, ROM file, or the package's ROM)
 *
 * Records the size and SHA-256 of @image.
 */
void
wf_firmware_identity_set_image(WfFirmwareIdentity *self, GBytes *image)
{
	g_return_if_fail(WF_IS_FIRMWARE_IDENTITY(self));
	g_return_if_fail(image != NULL);

	g_free(self->sha256);
	self->sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, image);
	self->size = g_bytes_get_size(image);
	self->has_size = TRUE;
}

void
wf_firmware_identity_set_header_block(WfFirmwareIdentity *self, const gchar *state)
{
	g_return_if_fail(WF_IS_FIRMWARE_IDENTITY(self));
	g_free(self->header_block);
	self->header_block = g_strdup(state);
}

static gint
wf_firmware_identity_part_index(const gchar *part)
{
	for (guint i = 0; i < G_N_ELEMENTS(wf_firmware_identity_parts); i++) {
		if (g_strcmp0(wf_firmware_identity_parts[i], part) == 0)
			return (gint)i;
	}
	return -1;
}

/**
 * wf_firmware_identity_set_offset:
 * @self: a #WfFirmwareIdentity
 * @part: "bootloader", "ext_bootloader", "rom" or "viva"
 * @offset: its flash offset
 */
void
wf_firmware_identity_set_offset(WfFirmwareIdentity *self, const gchar *part, guint32 offset)
{
	gint idx;

	g_return_if_fail(WF_IS_FIRMWARE_IDENTITY(self));
	idx = wf_firmware_identity_part_index(part);
	g_return_if_fail(idx >= 0);
	self->offsets[idx] = offset;
	self->has_offset[idx] = TRUE;
}

gboolean
wf_firmware_identity_get_offset(WfFirmwareIdentity *self, const gchar *part, guint32 *offset)
{
	gint idx;

	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), FALSE);
	idx = wf_firmware_identity_part_index(part);
	if (idx < 0 || !self->has_offset[idx])
		return FALSE;
	if (offset != NULL)
		*offset = self->offsets[idx];
	return TRUE;
}

void
wf_firmware_identity_set_fs_region(WfFirmwareIdentity *self, guint32 base, guint32 size)
{
	g_return_if_fail(WF_IS_FIRMWARE_IDENTITY(self));
	self->has_fs = TRUE;
	self->fs_base = base;
	self->fs_size = size;
}

gboolean
wf_firmware_identity_get_fs_region(WfFirmwareIdentity *self, guint32 *base, guint32 *size)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), FALSE);
	if (!self->has_fs)
		return FALSE;
	if (base != NULL)
		*base = self->fs_base;
	if (size != NULL)
		*size = self->fs_size;
	return TRUE;
}

/**
 * wf_firmware_identity_set_compression:
 * @self: a #WfFirmwareIdentity
 * @lzma: the firmware has LZMA (ZIMAGE, BOOT_ZIMAGE, DCM) parts
 * @alice: the firmware has ALICE-compressed code
 */
void
wf_firmware_identity_set_compression(WfFirmwareIdentity *self, gboolean lzma, gboolean alice)
{
	g_return_if_fail(WF_IS_FIRMWARE_IDENTITY(self));
	self->has_compression = TRUE;
	self->lzma = lzma;
	self->alice = alice;
}

gboolean
wf_firmware_identity_has_alice(WfFirmwareIdentity *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), FALSE);
	return self->alice;
}

/**
 * wf_firmware_identity_scan_image:
 * @self: a #WfFirmwareIdentity
 * @region: a name for @buf, e.g. "ROM" or "ZIMAGE (decompressed)"
 * @buf: code to look for LCD and touch driver names in
 * @bufsz: size of @buf
 */
void
wf_firmware_identity_scan_image(WfFirmwareIdentity *self,
				const gchar *region,
				const guint8 *buf,
				gsize bufsz)
{
	WfComponentHints *hints;

	g_return_if_fail(WF_IS_FIRMWARE_IDENTITY(self));
	g_return_if_fail(region != NULL);
	g_return_if_fail(buf != NULL || bufsz == 0);
	hints = wf_firmware_identity_ensure_hints(self);
	if (hints != NULL)
		wf_component_hints_scan_image(hints, region, buf, bufsz);
}

void
wf_firmware_identity_add_warning(WfFirmwareIdentity *self, const gchar *warning)
{
	g_return_if_fail(WF_IS_FIRMWARE_IDENTITY(self));
	g_return_if_fail(warning != NULL);
	for (guint i = 0; i < self->warnings->len; i++) {
		if (g_strcmp0(g_ptr_array_index(self->warnings, i), warning) == 0)
			return;
	}
	g_ptr_array_add(self->warnings, g_strdup(warning));
}

WfFirmwareIdentityKind
wf_firmware_identity_get_kind(WfFirmwareIdentity *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), WF_FIRMWARE_IDENTITY_KIND_UNKNOWN);
	return self->kind;
}

/**
 * wf_firmware_identity_get_platform:
 *
 * Returns: (nullable): the ROM's platform, else the cfg's
 */
const gchar *
wf_firmware_identity_get_platform(WfFirmwareIdentity *self)
{
	const gchar *platform = NULL;

	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	if (self->rom != NULL)
		platform = wf_rom_identity_get_platform(self->rom);
	return platform != NULL ? platform : self->cfg_platform;
}

const gchar *
wf_firmware_identity_get_cfg_platform(WfFirmwareIdentity *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	return self->cfg_platform;
}

/**
 * wf_firmware_identity_get:
 *
 * Returns: (nullable): a field of the ROM identity
 */
const gchar *
wf_firmware_identity_get(WfFirmwareIdentity *self, WfRomIdentityField field)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	if (field == WF_ROM_IDENTITY_FIELD_PLATFORM)
		return wf_firmware_identity_get_platform(self);
	return self->rom != NULL ? wf_rom_identity_get(self->rom, field) : NULL;
}

/**
 * wf_firmware_identity_get_rom_identity:
 *
 * Returns: (transfer none) (nullable): the ROM identity
 */
WfRomIdentity *
wf_firmware_identity_get_rom_identity(WfFirmwareIdentity *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	return self->rom;
}

/**
 * wf_firmware_identity_get_flash_ids:
 *
 * Returns: (transfer none) (element-type utf8): the ROM's CMEM_ID_INFO list
 */
GPtrArray *
wf_firmware_identity_get_flash_ids(WfFirmwareIdentity *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	return self->flash_ids;
}

/**
 * wf_firmware_identity_get_cfg_flash_ids:
 *
 * Returns: (transfer none) (element-type utf8): the cfg's external_memory list
 */
GPtrArray *
wf_firmware_identity_get_cfg_flash_ids(WfFirmwareIdentity *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	return self->cfg_flash_ids;
}

/**
 * wf_firmware_identity_get_hints:
 *
 * Returns: (transfer none) (nullable): the component hints, %NULL when the
 * component table could not be loaded
 */
WfComponentHints *
wf_firmware_identity_get_hints(WfFirmwareIdentity *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	return self->hints;
}

const gchar *
wf_firmware_identity_get_sha256(WfFirmwareIdentity *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	return self->sha256;
}

/**
 * wf_firmware_identity_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): warnings of the identity and
 * of the ROM identity
 */
GPtrArray *
wf_firmware_identity_get_warnings(WfFirmwareIdentity *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	if (self->rom != NULL) {
		GPtrArray *rom_warnings = wf_rom_identity_get_warnings(self->rom);
		for (guint i = 0; i < rom_warnings->len; i++)
			wf_firmware_identity_add_warning(self, g_ptr_array_index(rom_warnings, i));
	}
	return self->warnings;
}

static void
wf_firmware_identity_add_strv(JsonBuilder *b, const gchar *name, GPtrArray *strv)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (guint i = 0; i < strv->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(strv, i));
	json_builder_end_array(b);
}

static void
wf_firmware_identity_add_nullable(JsonBuilder *b, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(b, name);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

/**
 * wf_firmware_identity_to_json:
 * @self: a #WfFirmwareIdentity
 *
 * Every field is always present (null when unknown), so consumers can rely
 * on the shape; see docs/formats.md "Firmware identity".
 *
 * Returns: (transfer full): the summary
 */
JsonNode *
wf_firmware_identity_to_json(WfFirmwareIdentity *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	GPtrArray *warnings;

	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	warnings = wf_firmware_identity_get_warnings(self);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "format");
	json_builder_add_int_value(b, WF_FIRMWARE_IDENTITY_FORMAT_VERSION);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, wf_firmware_identity_kind_to_string(self->kind));
	for (guint i = 0; i < WF_ROM_IDENTITY_FIELD_LAST; i++)
		wf_firmware_identity_add_nullable(
			b, wf_rom_identity_field_to_string(i), wf_firmware_identity_get(self, i));
	json_builder_set_member_name(b, "sources");
	json_builder_begin_object(b);
	for (guint i = 0; self->rom != NULL && i < WF_ROM_IDENTITY_FIELD_LAST; i++) {
		WfRomIdentitySource source = wf_rom_identity_get_source(self->rom, i);
		if (source == WF_ROM_IDENTITY_SOURCE_NONE)
			continue;
		json_builder_set_member_name(b, wf_rom_identity_field_to_string(i));
		json_builder_add_string_value(b, wf_rom_identity_source_to_string(source));
	}
	json_builder_end_object(b);
	wf_firmware_identity_add_nullable(b, "cfg_platform", self->cfg_platform);
	wf_firmware_identity_add_strv(b, "flash_ids", self->flash_ids);
	wf_firmware_identity_add_strv(b, "cfg_flash_ids", self->cfg_flash_ids);

	json_builder_set_member_name(b, "layout");
	json_builder_begin_object(b);
	wf_firmware_identity_add_nullable(b, "header_block", self->header_block);
	for (guint i = 0; i < G_N_ELEMENTS(wf_firmware_identity_parts); i++) {
		json_builder_set_member_name(b, wf_firmware_identity_parts[i]);
		if (self->has_offset[i])
			json_builder_add_int_value(b, self->offsets[i]);
		else
			json_builder_add_null_value(b);
	}
	json_builder_set_member_name(b, "fs");
	if (self->has_fs) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "offset");
		json_builder_add_int_value(b, self->fs_base);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, self->fs_size);
		json_builder_end_object(b);
	} else {
		json_builder_add_null_value(b);
	}
	json_builder_end_object(b);

	json_builder_set_member_name(b, "compressed");
	if (self->has_compression) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "lzma");
		json_builder_add_boolean_value(b, self->lzma);
		json_builder_set_member_name(b, "alice");
		json_builder_add_boolean_value(b, self->alice);
		json_builder_end_object(b);
	} else {
		json_builder_add_null_value(b);
	}
	json_builder_set_member_name(b, "components");
	if (self->hints != NULL)
		json_builder_add_value(b, wf_component_hints_to_json(self->hints));
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "size");
	if (self->has_size)
		json_builder_add_int_value(b, (gint64)self->size);
	else
		json_builder_add_null_value(b);
	wf_firmware_identity_add_nullable(b, "sha256", self->sha256);
	wf_firmware_identity_add_strv(b, "warnings", warnings);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void
wf_firmware_identity_append_line(GString *str, const gchar *label, const gchar *value)
{
	if (value == NULL)
		return;
	g_string_append_printf(str, "%-16s %s\n", label, value);
}

static gchar *
wf_firmware_identity_join(GPtrArray *strv)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < strv->len; i++) {
		if (i > 0)
			g_string_append(str, ", ");
		g_string_append(str, g_ptr_array_index(strv, i));
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* "LCD: ST7789 (7789HSD, medium)" for the categories a user compares
 * before flashing, then every token nobody could explain */
static void
wf_firmware_identity_append_hints(WfFirmwareIdentity *self, GString *str)
{
	const struct {
		const gchar *category;
		const gchar *label;
	} rows[] = {
		{"lcd", "LCD:"},
		{"touch", "Touch:"},
		{"panel", "Panel:"},
		{"board", "Board:"},
		{"region", "Region:"},
	};
	g_autoptr(GPtrArray) unknown = g_ptr_array_new();
	GPtrArray *tokens;

	if (self->hints == NULL)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		const WfComponentToken *best =
			wf_component_hints_get_best(self->hints, rows[i].category);
		g_autofree gchar *line = NULL;
		if (best == NULL) {
			wf_firmware_identity_append_line(str, rows[i].label, "not named");
			continue;
		}
		line = g_strdup_printf("%s (token %s, %s confidence)",
				       best->value != NULL ? best->value : best->text,
				       best->text,
				       wf_confidence_to_string(best->confidence));
		wf_firmware_identity_append_line(str, rows[i].label, line);
	}
	tokens = wf_component_hints_get_tokens(self->hints);
	for (guint i = 0; i < tokens->len; i++) {
		const WfComponentToken *token = g_ptr_array_index(tokens, i);
		if (g_strcmp0(token->category, WF_COMPONENT_CATEGORY_UNKNOWN) == 0)
			g_ptr_array_add(unknown, token->text);
	}
	if (unknown->len > 0) {
		g_autofree gchar *joined = wf_firmware_identity_join(unknown);
		wf_firmware_identity_append_line(str, "Unknown tokens:", joined);
	}
}

/**
 * wf_firmware_identity_to_text:
 * @self: a #WfFirmwareIdentity
 *
 * Returns: (transfer full): "Label: value" lines for people
 */
gchar *
wf_firmware_identity_to_text(WfFirmwareIdentity *self)
{
	g_autoptr(GString) str = g_string_new(NULL);
	const gchar *branch;
	const gchar *project;

	g_return_val_if_fail(WF_IS_FIRMWARE_IDENTITY(self), NULL);
	wf_firmware_identity_append_line(str, "Platform:", wf_firmware_identity_get_platform(self));
	if (self->cfg_platform != NULL &&
	    g_strcmp0(self->cfg_platform, wf_firmware_identity_get_platform(self)) != 0)
		wf_firmware_identity_append_line(str, "cfg platform:", self->cfg_platform);
	wf_firmware_identity_append_line(
		str, "Version:", wf_firmware_identity_get(self, WF_ROM_IDENTITY_FIELD_VERNO));
	wf_firmware_identity_append_line(
		str, "Bin name:", wf_firmware_identity_get(self, WF_ROM_IDENTITY_FIELD_BIN_NAME));
	branch = wf_firmware_identity_get(self, WF_ROM_IDENTITY_FIELD_BRANCH);
	project = wf_firmware_identity_get(self, WF_ROM_IDENTITY_FIELD_PROJECT);
	wf_firmware_identity_append_line(str, "MAUI branch:", branch);
	wf_firmware_identity_append_line(str, "Base project:", project);
	wf_firmware_identity_append_line(
		str, "HW string:", wf_firmware_identity_get(self, WF_ROM_IDENTITY_FIELD_HW_VER));
	wf_firmware_identity_append_line(
		str,
		"Build date:",
		wf_firmware_identity_get(self, WF_ROM_IDENTITY_FIELD_BUILD_DATE));
	if (self->flash_ids->len > 0) {
		g_autofree gchar *ids = wf_firmware_identity_join(self->flash_ids);
		wf_firmware_identity_append_line(str, "Flash ids (ROM):", ids);
	}
	if (self->cfg_flash_ids->len > 0) {
		g_autofree gchar *ids = wf_firmware_identity_join(self->cfg_flash_ids);
		wf_firmware_identity_append_line(str, "Flash ids (cfg):", ids);
	}
	wf_firmware_identity_append_hints(self, str);
	if (self->has_compression) {
		wf_firmware_identity_append_line(
			str,
			"Compression:",
			self->alice  ? "ALICE-compressed code (not decoded here)"
			: self->lzma ? "LZMA parts"
				     : "none");
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}
