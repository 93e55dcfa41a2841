/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-firmware-facts.h"

#include <stdio.h>
#include <string.h>

#include "wf-component-hints.h"
#include "wf-error.h"
#include "wf-gfh.h"
#include "wf-rom-identity.h"

/* categories of the components table that say which hardware a build is for */
static const gchar *wf_firmware_hw_categories[] = {
	"lcd", "touch", "panel", "model", "board", "module", NULL};

const gchar *
wf_firmware_kind_to_string(WfFirmwareKind kind)
{
	switch (kind) {
	case WF_FIRMWARE_KIND_DUMP:
		return "dump";
	case WF_FIRMWARE_KIND_ROM:
		return "rom";
	case WF_FIRMWARE_KIND_PACKAGE:
		return "package";
	case WF_FIRMWARE_KIND_UNKNOWN:
	default:
		return "unknown";
	}
}

static void
wf_firmware_component_free(gpointer data)
{
	WfFirmwareComponent *c = data;
	g_free(c->category);
	g_free(c->token);
	g_free(c->part);
	g_free(c->origin);
	g_free(c);
}

/**
 * wf_firmware_facts_new:
 * @origin: (nullable): where the firmware comes from
 * @kind: what it is
 *
 * Returns: (transfer full): facts with everything unknown, for a producer
 * such as the package reader to fill in
 */
WfFirmwareFacts *
wf_firmware_facts_new(const gchar *origin, WfFirmwareKind kind)
{
	WfFirmwareFacts *self = g_new0(WfFirmwareFacts, 1);
	self->origin = g_strdup(origin);
	self->kind = kind;
	self->flash_ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	self->cfg_flash_ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	self->image_end = WF_FIRMWARE_FACTS_UNKNOWN;
	self->header_state = WF_BOOT_HEADER_STATE_UNKNOWN;
	self->main_region = WF_FIRMWARE_FACTS_UNKNOWN;
	self->bl_offset = WF_FIRMWARE_FACTS_UNKNOWN;
	self->ext_bl_offset = WF_FIRMWARE_FACTS_UNKNOWN;
	self->rom_offset = WF_FIRMWARE_FACTS_UNKNOWN;
	self->rom_len = WF_FIRMWARE_FACTS_UNKNOWN;
	self->fs_base = WF_FIRMWARE_FACTS_UNKNOWN;
	self->fs_size = WF_FIRMWARE_FACTS_UNKNOWN;
	self->components = g_ptr_array_new_with_free_func(wf_firmware_component_free);
	self->warnings = g_ptr_array_new_with_free_func(g_free);
	return self;
}

void
wf_firmware_facts_free(WfFirmwareFacts *self)
{
	if (self == NULL)
		return;
	g_free(self->origin);
	g_free(self->platform);
	g_free(self->bin_name);
	g_free(self->verno);
	g_free(self->branch);
	g_free(self->project);
	g_free(self->project_source);
	g_free(self->hw_ver);
	g_free(self->build_date);
	g_array_unref(self->flash_ids);
	g_array_unref(self->cfg_flash_ids);
	g_ptr_array_unref(self->components);
	g_ptr_array_unref(self->warnings);
	g_free(self);
}

static void
wf_firmware_facts_warn(WfFirmwareFacts *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static void
wf_firmware_facts_warn(WfFirmwareFacts *self, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	g_ptr_array_add(self->warnings, g_strdup_vprintf(format, args));
	va_end(args);
}

gboolean
wf_firmware_facts_has_flash_id(GArray *ids, gint64 jedec)
{
	for (guint i = 0; ids != NULL && i < ids->len; i++) {
		if (g_array_index(ids, gint64, i) == jedec)
			return TRUE;
	}
	return FALSE;
}

static void
wf_firmware_facts_add_flash_id(GArray *ids, const guint8 *id, guint id_len)
{
	gint64 jedec;
	/* the JEDEC id is the first three bytes; shorter ids cannot be compared */
	if (id_len < 3)
		return;
	jedec = ((gint64)id[0] << 16) | ((gint64)id[1] << 8) | id[2];
	if (!wf_firmware_facts_has_flash_id(ids, jedec))
		g_array_append_val(ids, jedec);
}

/**
 * wf_firmware_facts_add_component:
 * @self: facts
 * @category: "lcd", "touch", "panel", "model", …
 * @token: the token as written
 * @part: (nullable): what it stands for
 * @origin: "verno", "image:ROM", …
 *
 * Adds one hardware token, once per category, token and origin.
 */
void
wf_firmware_facts_add_component(WfFirmwareFacts *self,
				const gchar *category,
				const gchar *token,
				const gchar *part,
				const gchar *origin)
{
	WfFirmwareComponent *c;

	g_return_if_fail(self != NULL);
	g_return_if_fail(category != NULL && token != NULL && origin != NULL);
	for (guint i = 0; i < self->components->len; i++) {
		c = g_ptr_array_index(self->components, i);
		if (g_strcmp0(c->category, category) == 0 &&
		    g_ascii_strcasecmp(c->token, token) == 0 && g_strcmp0(c->origin, origin) == 0)
			return;
	}
	c = g_new0(WfFirmwareComponent, 1);
	c->category = g_strdup(category);
	c->token = g_strdup(token);
	c->part = g_strdup(part);
	c->origin = g_strdup(origin);
	g_ptr_array_add(self->components, c);
}

static void
wf_firmware_facts_take_tokens(WfFirmwareFacts *self, GPtrArray *tokens)
{
	for (guint i = 0; i < tokens->len; i++) {
		const WfComponentToken *token = g_ptr_array_index(tokens, i);
		if (!g_strv_contains(wf_firmware_hw_categories, token->category))
			continue;
		wf_firmware_facts_add_component(
			self, token->category, token->text, token->value, token->origin);
	}
}

/**
 * wf_firmware_facts_add_version_string:
 * @self: facts
 * @components: (nullable): the components table; without it nothing is decoded
 * @origin: "verno", "bin-name", …
 * @text: a version string such as the VERNO
 *
 * Decodes @text with #WfComponentHints and keeps its hardware tokens.
 */
void
wf_firmware_facts_add_version_string(WfFirmwareFacts *self,
				     WfKnowledgeTable *components,
				     const gchar *origin,
				     const gchar *text)
{
	g_autoptr(WfComponentHints) hints = NULL;

	g_return_if_fail(self != NULL);
	g_return_if_fail(origin != NULL);
	if (components == NULL || text == NULL)
		return;
	hints = wf_component_hints_new(components);
	wf_component_hints_add_string(hints, origin, text);
	wf_firmware_facts_take_tokens(self, wf_component_hints_get_tokens(hints));
}

/**
 * wf_firmware_facts_scan_image:
 * @self: facts
 * @components: (nullable): the components table
 * @region: a name for the data, "ROM"
 * @buf: image bytes
 * @bufsz: size of @buf
 *
 * Keeps the LCD and touch driver names found in @buf. A firmware may carry
 * drivers for several panels, so these count less than VERNO tokens.
 */
void
wf_firmware_facts_scan_image(WfFirmwareFacts *self,
			     WfKnowledgeTable *components,
			     const gchar *region,
			     const guint8 *buf,
			     gsize bufsz)
{
	g_autoptr(WfComponentHints) hints = NULL;

	g_return_if_fail(self != NULL);
	g_return_if_fail(region != NULL);
	if (components == NULL || buf == NULL)
		return;
	hints = wf_component_hints_new(components);
	wf_component_hints_scan_image(hints, region, buf, bufsz);
	wf_firmware_facts_take_tokens(self, wf_component_hints_get_image_evidence(hints));
}

/* "GPLUS61A_11C_NX9_PCB01_gprs_MT6261_S00.…": the part before _PCBnn_, which
 * is the project (CUSTOMER) in every MAUI bin name seen (firmware-formats.md §1.5) */
static gchar *
wf_firmware_facts_project_from_bin_name(const gchar *bin_name)
{
	g_autoptr(GRegex) re = g_regex_new("^([A-Z0-9_]+?)_PCB[0-9]+_", G_REGEX_CASELESS, 0, NULL);
	g_autoptr(GMatchInfo) match = NULL;
	if (bin_name == NULL || !g_regex_match(re, bin_name, 0, &match))
		return NULL;
	return g_match_info_fetch(match, 1);
}

static void
wf_firmware_facts_set_identity(WfFirmwareFacts *self, WfRomIdentity *identity)
{
	self->platform = g_strdup(wf_rom_identity_get_platform(identity));
	self->bin_name = g_strdup(wf_rom_identity_get_bin_name(identity));
	self->verno = g_strdup(wf_rom_identity_get_verno(identity));
	self->branch = g_strdup(wf_rom_identity_get_branch(identity));
	self->project = g_strdup(wf_rom_identity_get_project(identity));
	self->hw_ver = g_strdup(wf_rom_identity_get_hw_ver(identity));
	self->build_date = g_strdup(wf_rom_identity_get_build_date(identity));
	if (self->project != NULL) {
		self->project_source = g_strdup("branch");
	} else {
		self->project = wf_firmware_facts_project_from_bin_name(self->bin_name);
		if (self->project != NULL)
			self->project_source = g_strdup("bin-name");
	}
	for (guint i = 0; i < wf_rom_identity_get_warnings(identity)->len; i++)
		wf_firmware_facts_warn(self,
				       "%s",
				       (const gchar *)g_ptr_array_index(
					       wf_rom_identity_get_warnings(identity), i));
}

static void
wf_firmware_facts_set_boot_header(WfFirmwareFacts *self, WfBootHeader *header)
{
	GArray *bls;

	self->header_state = wf_boot_header_get_state(header);
	if (self->header_state != WF_BOOT_HEADER_STATE_VALID)
		return;
	self->main_region = wf_boot_header_get_main_region_addr(header);
	bls = wf_boot_header_get_bls(header);
	for (guint i = 0; i < bls->len; i++) {
		const WfBootHeaderBl *bl = &g_array_index(bls, WfBootHeaderBl, i);
		if (bl->file_type == WF_GFH_FILE_ARM_BL && self->bl_offset < 0)
			self->bl_offset = bl->begin;
		if (bl->file_type == WF_GFH_FILE_ARM_EXT_BL && self->ext_bl_offset < 0)
			self->ext_bl_offset = bl->begin;
	}
}

/* ROM GFH: flash ids, file system, where the ROM is linked to run */
static void
wf_firmware_facts_set_rom_gfh(WfFirmwareFacts *self, WfGfh *gfh, gsize found_at)
{
	const WfGfhFileInfo *fi = wf_gfh_get_file_info(gfh);
	GArray *cmem = wf_gfh_get_cmem_ids(gfh);
	guint32 fs_base = 0, fs_size = 0;
	gint64 linked = WF_FIRMWARE_FACTS_UNKNOWN;

	for (guint i = 0; cmem != NULL && i < cmem->len; i++) {
		const WfGfhCmemId *id = &g_array_index(cmem, WfGfhCmemId, i);
		wf_firmware_facts_add_flash_id(self->flash_ids, id->id, MIN(id->id_len, 8));
	}
	if (wf_gfh_get_fs_region(gfh, &fs_base, &fs_size)) {
		self->fs_base = fs_base;
		self->fs_size = fs_size;
	}
	if (fi == NULL)
		return;
	self->rom_len = fi->file_len;
	/* an XIP ROM runs where it lies in the flash window */
	if (fi->load_addr >= WF_FIRMWARE_FACTS_FLASH_BASE &&
	    fi->load_addr < WF_FIRMWARE_FACTS_FLASH_BASE + WF_FIRMWARE_FACTS_FLASH_MAX)
		linked = fi->load_addr - WF_FIRMWARE_FACTS_FLASH_BASE;
	if (self->kind == WF_FIRMWARE_KIND_ROM) {
		self->rom_offset = linked;
		if (linked >= 0)
			self->image_end = linked + fi->file_len;
		return;
	}
	self->rom_offset = (gint64)found_at;
	if (linked >= 0 && linked != (gint64)found_at)
		wf_firmware_facts_warn(self,
				       "the ROM lies at 0x%" G_GSIZE_MODIFIER
				       "X but is linked for 0x%" G_GINT64_MODIFIER "X",
				       found_at,
				       linked);
}

/**
 * wf_firmware_facts_new_from_bytes:
 * @blob: a full flash dump or a MAUI ROM file
 * @origin: (nullable): its name, for messages
 * @components: (nullable): the components table, to decode VERNO tokens and
 *   find LCD/touch driver names in the ROM
 * @error: (nullable): return location
 *
 * A file starting with a GFH FILE_INFO is a ROM; anything else is read as
 * a dump (header block, ROM found by the header or by scanning).
 *
 * Returns: (transfer full): the facts, or %NULL if no MAUI build identity
 * was found
 */
WfFirmwareFacts *
wf_firmware_facts_new_from_bytes(GBytes *blob,
				 const gchar *origin,
				 WfKnowledgeTable *components,
				 GError **error)
{
	g_autoptr(WfFirmwareFacts) self = NULL;
	g_autoptr(WfRomIdentity) identity = NULL;
	const guint8 *buf;
	gsize bufsz = 0;
	WfGfh *gfh;

	g_return_val_if_fail(blob != NULL, NULL);
	buf = g_bytes_get_data(blob, &bufsz);
	identity = wf_rom_identity_new_from_bytes(blob, error);
	if (identity == NULL) {
		g_prefix_error(error, "%s: ", origin != NULL ? origin : "firmware");
		return NULL;
	}
	self = wf_firmware_facts_new(origin,
				     wf_gfh_is_file_info(buf, bufsz, 0) ? WF_FIRMWARE_KIND_ROM
									: WF_FIRMWARE_KIND_DUMP);
	self->size = bufsz;
	if (self->kind == WF_FIRMWARE_KIND_DUMP)
		self->image_end = (gint64)bufsz;
	wf_firmware_facts_set_identity(self, identity);
	if (wf_rom_identity_get_boot_header(identity) != NULL)
		wf_firmware_facts_set_boot_header(self, wf_rom_identity_get_boot_header(identity));
	gfh = wf_rom_identity_get_rom_gfh(identity);
	if (gfh != NULL)
		wf_firmware_facts_set_rom_gfh(self, gfh, wf_rom_identity_get_rom_offset(identity));

	/* VERNO tokens first: they say what the build is for; the bin name
	 * carries the same VERNO, so it is only a fallback */
	if (self->verno != NULL)
		wf_firmware_facts_add_version_string(self, components, "verno", self->verno);
	else if (self->bin_name != NULL)
		wf_firmware_facts_add_version_string(self, components, "bin-name", self->bin_name);
	if (gfh != NULL && self->rom_len > 0) {
		gsize start = wf_rom_identity_get_rom_offset(identity);
		gsize len = MIN((gsize)self->rom_len, bufsz - start);
		wf_firmware_facts_scan_image(self, components, "ROM", buf + start, len);
	} else {
		wf_firmware_facts_scan_image(self, components, "image", buf, bufsz);
	}
	return g_steal_pointer(&self);
}

/* where the package's files go, as the flash plan places them */
static void
wf_firmware_facts_set_package_layout(WfFirmwareFacts *self, WfFirmwarePackage *package)
{
	GPtrArray *files = wf_firmware_package_get_files(package);
	guint64 end = 0;

	self->bl_offset = WF_FIRMWARE_FACTS_UNKNOWN;
	self->ext_bl_offset = WF_FIRMWARE_FACTS_UNKNOWN;
	self->rom_offset = WF_FIRMWARE_FACTS_UNKNOWN;
	for (guint i = 0; i < files->len; i++) {
		const WfFirmwarePackageFile *file = g_ptr_array_index(files, i);
		if (file->region == WF_CFG_REGION_LAST)
			continue;
		end = MAX(end, (guint64)file->offset + file->length);
		if (!file->has_file_info)
			continue;
		switch (file->file_info.file_type) {
		case WF_GFH_FILE_ARM_BL:
			self->bl_offset = file->offset;
			break;
		case WF_GFH_FILE_ARM_EXT_BL:
			self->ext_bl_offset = file->offset;
			break;
		case WF_GFH_FILE_PRIMARY_MAUI:
			self->rom_offset = file->offset;
			self->rom_len = file->length;
			break;
		default:
			break;
		}
	}
	/* only the cfg's files are written by default; a split's raw file-system
	 * tail belongs to the watch it came from */
	self->image_end = end;
	self->size = end;
}

/**
 * wf_firmware_facts_new_from_package:
 * @package: a loaded firmware package
 * @origin: (nullable): its path, for messages
 * @components: (nullable): the components table
 * @error: (nullable): return location
 *
 * The ROM's identity, flash list and drivers, the cfg's flash list and
 * platform, and where the package's bootloaders and ROM go. A package
 * brings no header block: the Download Agent writes one from its
 * bootloader list, so the header state stays unknown.
 *
 * Returns: (transfer full): the facts, or %NULL
 */
WfFirmwareFacts *
wf_firmware_facts_new_from_package(WfFirmwarePackage *package,
				   const gchar *origin,
				   WfKnowledgeTable *components,
				   GError **error)
{
	const WfFirmwarePackageFile *rom;
	g_autoptr(WfFirmwareFacts) self = NULL;
	g_autoptr(GError) error_local = NULL;
	GPtrArray *warnings;

	g_return_val_if_fail(WF_IS_FIRMWARE_PACKAGE(package), NULL);
	rom = wf_firmware_package_get_rom(package);
	if (rom != NULL) {
		self = wf_firmware_facts_new_from_bytes(
			rom->data, origin, components, &error_local);
		if (self == NULL && !g_error_matches(error_local, WF_ERROR, WF_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	if (self == NULL) {
		self = wf_firmware_facts_new(origin, WF_FIRMWARE_KIND_PACKAGE);
		wf_firmware_facts_warn(self,
				       "the package has no MAUI ROM with a build identity%s%s",
				       error_local != NULL ? ": " : "",
				       error_local != NULL ? error_local->message : "");
	}
	self->kind = WF_FIRMWARE_KIND_PACKAGE;
	self->header_state = WF_BOOT_HEADER_STATE_UNKNOWN;
	self->main_region = WF_FIRMWARE_FACTS_UNKNOWN;
	wf_firmware_facts_set_package_layout(self, package);
	if (wf_firmware_package_get_cfg(package) != NULL)
		wf_firmware_facts_add_cfg(self, wf_firmware_package_get_cfg(package));
	warnings = wf_firmware_package_get_warnings(package);
	for (guint i = 0; warnings != NULL && i < warnings->len; i++)
		wf_firmware_facts_warn(self, "%s", (const gchar *)g_ptr_array_index(warnings, i));
	return g_steal_pointer(&self);
}

/* a folder, a .cfg or an archive is a package; anything else is one image */
static gboolean
wf_firmware_facts_is_package(const gchar *path)
{
	guint8 head[512] = {0};
	gsize got = 0;
	FILE *f;

	if (g_file_test(path, G_FILE_TEST_IS_DIR) || g_str_has_suffix(path, ".cfg"))
		return TRUE;
	f = fopen(path, "rb");
	if (f == NULL)
		return FALSE;
	got = fread(head, 1, sizeof(head), f);
	fclose(f);
	return wf_firmware_package_is_archive(head, got);
}

/**
 * wf_firmware_facts_new_from_file:
 * @path: a firmware package (folder, its .cfg, or a .zip/.7z/.rar/.tar
 *   archive), a MAUI ROM file or a full-flash dump
 * @components: (nullable): the components table
 * @error: (nullable): return location
 *
 * Returns: (transfer full): the facts, or %NULL
 */
WfFirmwareFacts *
wf_firmware_facts_new_from_file(const gchar *path, WfKnowledgeTable *components, GError **error)
{
	g_autoptr(GMappedFile) mapped = NULL;
	g_autoptr(GBytes) blob = NULL;

	g_return_val_if_fail(path != NULL, NULL);
	if (wf_firmware_facts_is_package(path)) {
		g_autoptr(WfFirmwarePackage) package =
			wf_firmware_package_new_from_path(path, error);
		if (package == NULL)
			return NULL;
		return wf_firmware_facts_new_from_package(package, path, components, error);
	}
	mapped = g_mapped_file_new(path, FALSE, error);
	if (mapped == NULL)
		return NULL;
	blob = g_mapped_file_get_bytes(mapped);
	return wf_firmware_facts_new_from_bytes(blob, path, components, error);
}

/**
 * wf_firmware_facts_add_cfg:
 * @self: facts
 * @cfg: the firmware's SP Flash Tool cfg
 *
 * Takes the cfg's flash-id list and, if the ROM did not name one, its
 * platform; a platform that disagrees with the ROM is a warning.
 */
void
wf_firmware_facts_add_cfg(WfFirmwareFacts *self, WfCfg *cfg)
{
	GPtrArray *emis;
	const gchar *platform;

	g_return_if_fail(self != NULL);
	g_return_if_fail(WF_IS_CFG(cfg));
	emis = wf_cfg_get_emis(cfg);
	for (guint i = 0; i < emis->len; i++) {
		const WfCfgEmi *emi = g_ptr_array_index(emis, i);
		wf_firmware_facts_add_flash_id(self->cfg_flash_ids,
					       emi->flash_id,
					       MIN(emi->id_length, sizeof(emi->flash_id)));
	}
	platform = wf_cfg_get_platform(cfg);
	if (platform == NULL)
		return;
	if (self->platform == NULL)
		self->platform = g_strdup(platform);
	else if (g_ascii_strncasecmp(self->platform, platform, 6) != 0)
		wf_firmware_facts_warn(self,
				       "the cfg says platform %s, the ROM says %s",
				       platform,
				       self->platform);
}

/**
 * wf_firmware_facts_get_components:
 * @self: facts
 * @category: "lcd", "touch", "panel", "model"
 *
 * Version-string tokens say what the build is for; driver names found in
 * the image only that a driver is in it. So image names are returned only
 * when no version string names a component of @category.
 *
 * Returns: (transfer container) (element-type WfFirmwareComponent): the components
 */
GPtrArray *
wf_firmware_facts_get_components(const WfFirmwareFacts *self, const gchar *category)
{
	GPtrArray *strings = g_ptr_array_new();
	GPtrArray *images = g_ptr_array_new();

	g_return_val_if_fail(self != NULL, NULL);
	for (guint i = 0; i < self->components->len; i++) {
		WfFirmwareComponent *c = g_ptr_array_index(self->components, i);
		if (g_strcmp0(c->category, category) != 0)
			continue;
		g_ptr_array_add(g_str_has_prefix(c->origin, "image:") ? images : strings, c);
	}
	if (strings->len > 0) {
		g_ptr_array_unref(images);
		return strings;
	}
	g_ptr_array_unref(strings);
	return images;
}

/**
 * wf_firmware_facts_get_date:
 *
 * Returns: (transfer full) (nullable): the build date as "YYYY-MM-DD HH:MM"
 * or "YYYY-MM-DD", comparable as a string
 */
gchar *
wf_firmware_facts_get_date(const WfFirmwareFacts *self)
{
	gchar *date;
	g_return_val_if_fail(self != NULL, NULL);
	if (self->build_date == NULL || strlen(self->build_date) < 10)
		return NULL;
	date = g_strdup(self->build_date);
	g_strdelimit(date, "/", '-');
	return date;
}

static void
wf_json_add_offset(JsonBuilder *b, const gchar *member, gint64 value)
{
	json_builder_set_member_name(b, member);
	if (value >= 0)
		json_builder_add_int_value(b, value);
	else
		json_builder_add_null_value(b);
}

static void
wf_json_add_string(JsonBuilder *b, const gchar *member, const gchar *value)
{
	json_builder_set_member_name(b, member);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

static void
wf_json_add_ids(JsonBuilder *b, const gchar *member, GArray *ids)
{
	json_builder_set_member_name(b, member);
	json_builder_begin_array(b);
	for (guint i = 0; i < ids->len; i++) {
		g_autofree gchar *s =
			g_strdup_printf("%06" G_GINT64_MODIFIER "X", g_array_index(ids, gint64, i));
		json_builder_add_string_value(b, s);
	}
	json_builder_end_array(b);
}

/**
 * wf_firmware_facts_to_json:
 *
 * Returns: (transfer full): every fact, null where unknown
 */
JsonNode *
wf_firmware_facts_to_json(const WfFirmwareFacts *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(self != NULL, NULL);
	json_builder_begin_object(b);
	wf_json_add_string(b, "origin", self->origin);
	wf_json_add_string(b, "kind", wf_firmware_kind_to_string(self->kind));
	json_builder_set_member_name(b, "size");
	json_builder_add_int_value(b, (gint64)self->size);
	wf_json_add_string(b, "platform", self->platform);
	wf_json_add_string(b, "bin_name", self->bin_name);
	wf_json_add_string(b, "verno", self->verno);
	wf_json_add_string(b, "branch", self->branch);
	wf_json_add_string(b, "project", self->project);
	wf_json_add_string(b, "project_source", self->project_source);
	wf_json_add_string(b, "hw_ver", self->hw_ver);
	wf_json_add_string(b, "build_date", self->build_date);
	wf_json_add_ids(b, "flash_ids", self->flash_ids);
	wf_json_add_ids(b, "cfg_flash_ids", self->cfg_flash_ids);
	json_builder_set_member_name(b, "layout");
	json_builder_begin_object(b);
	wf_json_add_string(b, "header_block", wf_boot_header_state_to_string(self->header_state));
	wf_json_add_offset(b, "main_region", self->main_region);
	wf_json_add_offset(b, "bootloader", self->bl_offset);
	wf_json_add_offset(b, "ext_bootloader", self->ext_bl_offset);
	wf_json_add_offset(b, "rom", self->rom_offset);
	wf_json_add_offset(b, "rom_len", self->rom_len);
	wf_json_add_offset(b, "fs_base", self->fs_base);
	wf_json_add_offset(b, "fs_size", self->fs_size);
	wf_json_add_offset(b, "image_end", self->image_end);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "components");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->components->len; i++) {
		const WfFirmwareComponent *c = g_ptr_array_index(self->components, i);
		json_builder_begin_object(b);
		wf_json_add_string(b, "category", c->category);
		wf_json_add_string(b, "token", c->token);
		wf_json_add_string(b, "part", c->part);
		wf_json_add_string(b, "origin", c->origin);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "warnings");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->warnings->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(self->warnings, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
