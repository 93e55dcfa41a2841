/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "wf-cli.h"
#include "wf-dump.h"
#include "wf-error.h"
#include "wf-firmware-package.h"
#include "wf-scatter.h"
#include "wf-secret-codes.h"

/*
 * Commands that read firmware files and never touch a watch: inspect,
 * split, codes. They take a path and work the same on every kind of input
 * Wristflash knows: a package (folder, archive, .cfg), a full dump, a
 * single binary; inspect also explains scatter files.
 */

/* how much of a file is sniffed to tell what it is */
#define WF_CLI_SNIFF_SIZE (64 * 1024)

typedef enum {
	WF_CLI_INPUT_PACKAGE,
	WF_CLI_INPUT_CFG,
	WF_CLI_INPUT_SCATTER,
	WF_CLI_INPUT_ANDROID_SCATTER,
	WF_CLI_INPUT_IMAGE,
} WfCliInput;

static gboolean
wf_cli_sniff(const gchar *path, WfCliInput *input, GError **error)
{
	g_autoptr(GFile) file = NULL;
	g_autoptr(GFileInputStream) stream = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree guint8 *head = NULL;
	g_autoptr(GBytes) blob = NULL;
	gsize n = 0;

	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		*input = WF_CLI_INPUT_PACKAGE;
		return TRUE;
	}
	file = g_file_new_for_path(path);
	stream = g_file_read(file, NULL, &error_local);
	if (stream == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
				    ? WF_ERROR_NOT_FOUND
				    : WF_ERROR_READ,
			    "%s",
			    error_local->message);
		return FALSE;
	}
	head = g_malloc(WF_CLI_SNIFF_SIZE);
	if (!g_input_stream_read_all(
		    G_INPUT_STREAM(stream), head, WF_CLI_SNIFF_SIZE, &n, NULL, &error_local)) {
		g_set_error(error, WF_ERROR, WF_ERROR_READ, "%s", error_local->message);
		return FALSE;
	}
	if (wf_firmware_package_is_archive(head, n)) {
		*input = WF_CLI_INPUT_PACKAGE;
		return TRUE;
	}
	blob = g_bytes_new(head, n);
	switch (wf_config_file_detect(blob)) {
	case WF_CONFIG_FILE_CFG:
		*input = WF_CLI_INPUT_CFG;
		break;
	case WF_CONFIG_FILE_SCATTER:
		*input = WF_CLI_INPUT_SCATTER;
		break;
	case WF_CONFIG_FILE_ANDROID_SCATTER:
		*input = WF_CLI_INPUT_ANDROID_SCATTER;
		break;
	default:
		*input = WF_CLI_INPUT_IMAGE;
		break;
	}
	return TRUE;
}

static GBytes *
wf_cli_read_file(const gchar *path, gsize max, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gchar *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &data, &len, &error_local)) {
		g_set_error(error, WF_ERROR, WF_ERROR_READ, "%s", error_local->message);
		return NULL;
	}
	if (len > max) {
		g_free(data);
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s is too large (%" G_GSIZE_FORMAT " bytes)",
			    path,
			    len);
		return NULL;
	}
	return g_bytes_new_take(data, len);
}

static void
wf_cli_print_strv(const gchar *title, GPtrArray *strv)
{
	if (strv == NULL || strv->len == 0)
		return;
	g_print("%s\n", title);
	for (guint i = 0; i < strv->len; i++)
		g_print("  %s\n", (const gchar *)g_ptr_array_index(strv, i));
}

static void
wf_cli_print_identity(WfFirmwareIdentity *identity)
{
	g_autofree gchar *text = wf_firmware_identity_to_text(identity);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] != '\0')
			g_print("  %s\n", lines[i]);
	}
}

static void
wf_cli_print_json_member(WfCli *cli, const gchar *event, const gchar *path, JsonNode *node)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	JsonObject *object = json_object_new();

	json_object_set_string_member(object, "event", event);
	json_object_set_string_member(object, "path", path);
	if (node != NULL && JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObject *inner = json_node_get_object(node);
		g_autoptr(GList) members = json_object_get_members(inner);
		for (GList *l = members; l != NULL; l = l->next)
			json_object_set_member(
				object,
				l->data,
				json_node_copy(json_object_get_member(inner, l->data)));
	}
	json_node_take_object(root, object);
	wf_cli_print_json(cli, root);
}

/* ---- inspect --------------------------------------------------------------------------------- */

static void
wf_cli_print_package(WfFirmwarePackage *package)
{
	GPtrArray *files = wf_firmware_package_get_files(package);

	g_print(_("Firmware package (%s), cfg %s\n"),
		wf_firmware_package_get_container(package),
		wf_firmware_package_get_cfg_path(package));
	wf_cli_print_identity(wf_firmware_package_get_identity(package));
	g_print("%s\n", _("Files, in flash order:"));
	for (guint i = 0; i < files->len; i++) {
		WfFirmwarePackageFile *f = g_ptr_array_index(files, i);
		const gchar *what = f->has_file_info
					    ? wf_gfh_file_type_to_string(f->file_info.file_type)
					    : f->role;
		g_print("  0x%06X  0x%06X  %-24s %s\n",
			f->offset,
			f->length,
			f->name,
			what != NULL ? what : "");
	}
	if (wf_firmware_package_get_header_block(package) != NULL)
		g_print(_("Split of a %u KiB dump; header block: %s\n"),
			wf_firmware_package_get_flash_size(package) / 1024,
			wf_firmware_package_get_header_block(package));
	wf_cli_print_strv(_("Other cfg files:"), wf_firmware_package_get_other_cfgs(package));
	wf_cli_print_strv(_("Not written:"), wf_firmware_package_get_skipped(package));
	wf_cli_print_strv(_("Warnings:"), wf_firmware_package_get_warnings(package));
}

static const gchar *
wf_cli_region_label(const WfDumpRegion *r)
{
	switch (r->kind) {
	case WF_DUMP_REGION_HEADER_BLOCK:
		return _("header block");
	case WF_DUMP_REGION_FS:
		return _("file system / NVRAM");
	case WF_DUMP_REGION_FREE:
		return _("erased");
	case WF_DUMP_REGION_OTHER:
		return _("other data");
	default:
		return r->name;
	}
}

static void
wf_cli_print_dump(WfDump *dump)
{
	GPtrArray *regions = wf_dump_get_regions(dump);
	GPtrArray *parts = wf_dump_get_compressed_parts(dump);
	WfFirmwareIdentity *id = wf_dump_get_identity(dump);
	gsize size = g_bytes_get_size(wf_dump_get_bytes(dump));

	if (wf_dump_get_kind(dump) == WF_DUMP_KIND_FULL)
		g_print(_("Full-flash dump, %" G_GSIZE_FORMAT " KiB, header block %s\n"),
			size / 1024,
			wf_boot_header_state_to_string(wf_dump_get_header_block_state(dump)));
	else
		g_print(_("Single binary, %" G_GSIZE_FORMAT " bytes\n"), size);
	g_print("  SHA-256          %s\n", wf_firmware_identity_get_sha256(id));
	wf_cli_print_identity(id);
	g_print("%s\n", _("Layout:"));
	for (guint i = 0; i < regions->len; i++) {
		WfDumpRegion *r = g_ptr_array_index(regions, i);
		g_print("  0x%06X  0x%06X  %s%s\n",
			r->offset,
			r->length,
			wf_cli_region_label(r),
			r->kind == WF_DUMP_REGION_FS && r->erased ? _(" (erased)") : "");
	}
	if (wf_dump_get_kind(dump) == WF_DUMP_KIND_FULL)
		g_print(_("Free space: %" G_GUINT64_FORMAT
			  " KiB erased outside the regions above\n"),
			wf_dump_get_free_bytes(dump) / 1024);
	if (parts->len > 0) {
		g_print("%s\n", _("Compressed parts:"));
		for (guint i = 0; i < parts->len; i++) {
			WfDumpCompressedPart *p = g_ptr_array_index(parts, i);
			if (p->decoded)
				g_print(_("  %s: %s at 0x%06X, decoded to %" G_GSIZE_FORMAT
					  " bytes\n"),
					p->name,
					p->format,
					p->offset,
					g_bytes_get_size(p->output));
			else
				g_print(_("  %s: %s at 0x%06X, not decoded\n"),
					p->name,
					p->format,
					p->offset);
		}
	}
	wf_cli_print_strv(_("Warnings:"), wf_firmware_identity_get_warnings(id));
}

static int
wf_cli_inspect_cfg(WfCli *cli, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) package_error = NULL;
	g_autoptr(WfCfg) cfg = wf_cfg_new_from_file(path, &error);
	g_autoptr(WfFirmwarePackage) package = NULL;

	if (cfg == NULL)
		return wf_cli_fail(cli, error);
	package = wf_firmware_package_new_from_path(path, &package_error);
	if (cli->json) {
		g_autoptr(JsonNode) node = wf_cfg_to_json(cfg);
		g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
		JsonObject *object = json_object_new();
		json_object_set_string_member(object, "event", "inspect");
		json_object_set_string_member(object, "path", path);
		json_object_set_string_member(object, "type", "cfg");
		json_object_set_member(object, "cfg", g_steal_pointer(&node));
		if (package != NULL)
			json_object_set_member(
				object, "package", wf_firmware_package_to_json(package));
		else
			json_object_set_string_member(
				object, "package_error", package_error->message);
		json_node_take_object(root, object);
		wf_cli_print_json(cli, root);
		return WF_CLI_EXIT_OK;
	}
	g_print(_("SP Flash Tool cfg for %s\n"), wf_cfg_get_platform(cfg));
	for (WfCfgRegion r = 0; r < WF_CFG_REGION_LAST; r++) {
		GPtrArray *files = wf_cfg_get_files(cfg, r);
		if (!wf_cfg_has_region(cfg, r))
			continue;
		g_print("  %s:", wf_cfg_region_to_string(r));
		for (guint i = 0; files != NULL && i < files->len; i++)
			g_print(" %s", (const gchar *)g_ptr_array_index(files, i));
		g_print("\n");
	}
	{
		GPtrArray *emis = wf_cfg_get_emis(cfg);
		g_print(_("  flash ids:"));
		for (guint i = 0; emis != NULL && i < emis->len; i++) {
			WfCfgEmi *emi = g_ptr_array_index(emis, i);
			g_autofree gchar *id =
				wf_firmware_identity_format_flash_id(emi->flash_id, emi->id_length);
			g_print(i == 0 ? " %s" : ", %s", id);
		}
		g_print("\n");
	}
	if (package != NULL)
		wf_cli_print_package(package);
	else
		g_print(_("Its files do not form a usable package: %s\n"), package_error->message);
	return WF_CLI_EXIT_OK;
}

static int
wf_cli_inspect_scatter(WfCli *cli, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) blob = wf_cli_read_file(path, WF_SCATTER_MAX_SIZE, &error);
	g_autoptr(WfScatter) scatter = NULL;
	GPtrArray *regions;

	if (blob == NULL)
		return wf_cli_fail(cli, error);
	scatter = wf_scatter_new_from_bytes(blob, &error);
	if (scatter == NULL)
		return wf_cli_fail(cli, error);
	if (cli->json) {
		g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
		JsonObject *object = json_object_new();
		json_object_set_string_member(object, "event", "inspect");
		json_object_set_string_member(object, "path", path);
		json_object_set_string_member(object, "type", "scatter");
		json_object_set_member(object, "scatter", wf_scatter_to_json(scatter));
		json_node_take_object(root, object);
		wf_cli_print_json(cli, root);
		return WF_CLI_EXIT_OK;
	}
	g_print("%s\n",
		_("Linker scatter file: a build artefact. It describes the build's memory map; "
		  "SP Flash Tool 5.x and Wristflash flash from the .cfg instead."));
	regions = wf_scatter_get_load_regions(scatter);
	for (guint i = 0; i < regions->len; i++) {
		WfScatterRegion *r = g_ptr_array_index(regions, i);
		g_print("  %-24s %s0x%08" G_GINT64_MODIFIER "X  %u execution regions\n",
			r->name,
			r->base_is_offset ? "+" : " ",
			r->base,
			r->children != NULL ? r->children->len : 0);
	}
	return WF_CLI_EXIT_OK;
}

static gchar *wf_cli_cfg_name = NULL;

static const GOptionEntry wf_cli_inspect_entries[] = {
	{"cfg",
	 0,
	 0,
	 G_OPTION_ARG_STRING,
	 &wf_cli_cfg_name,
	 N_("Use this cfg when a package has several"),
	 N_("NAME")},
	{NULL},
};

static WfFirmwarePackage *
wf_cli_load_package(const gchar *path, GError **error)
{
	g_autoptr(WfFirmwarePackage) package = wf_firmware_package_new();
	wf_firmware_package_set_cfg_name(package, wf_cli_cfg_name);
	if (!wf_firmware_package_load(package, path, error))
		return NULL;
	return g_steal_pointer(&package);
}

int
wf_cli_cmd_inspect(WfCli *cli, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	int status = WF_CLI_EXIT_OK;
	WfCliInput input = WF_CLI_INPUT_IMAGE;
	const gchar *path;

	if (!wf_cli_parse_options(
		    cli,
		    "inspect",
		    _("PATH"),
		    _("Tells what a firmware file is and what is in it: a package (folder, .zip, "
		      ".7z, .rar or its .cfg), a full-flash dump, a single binary such as ROM, or "
		      "a scatter file. Reads files only; never talks to a watch."),
		    wf_cli_inspect_entries,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc != 2)
		return wf_cli_usage_error(cli, NULL, _("Usage: wristflash-cli inspect PATH"));
	path = argv[1];
	if (!wf_cli_sniff(path, &input, &error))
		return wf_cli_fail(cli, error);
	switch (input) {
	case WF_CLI_INPUT_CFG:
		return wf_cli_inspect_cfg(cli, path);
	case WF_CLI_INPUT_SCATTER:
		return wf_cli_inspect_scatter(cli, path);
	case WF_CLI_INPUT_ANDROID_SCATTER:
		wf_scatter_set_android_error(&error);
		return wf_cli_fail(cli, error);
	case WF_CLI_INPUT_PACKAGE: {
		g_autoptr(WfFirmwarePackage) package = wf_cli_load_package(path, &error);
		if (package == NULL)
			return wf_cli_fail(cli, error);
		if (cli->json) {
			g_autoptr(JsonNode) node = wf_firmware_package_to_json(package);
			json_object_set_string_member(
				json_node_get_object(node), "type", "package");
			wf_cli_print_json_member(cli, "inspect", path, node);
		} else {
			wf_cli_print_package(package);
		}
		return WF_CLI_EXIT_OK;
	}
	case WF_CLI_INPUT_IMAGE:
	default: {
		g_autoptr(WfDump) dump = wf_dump_new_from_file(path, &error);
		if (dump == NULL)
			return wf_cli_fail(cli, error);
		if (cli->json) {
			g_autoptr(JsonNode) node = wf_dump_to_json(dump);
			json_object_set_string_member(
				json_node_get_object(node),
				"type",
				wf_dump_get_kind(dump) == WF_DUMP_KIND_FULL ? "dump" : "binary");
			wf_cli_print_json_member(cli, "inspect", path, node);
		} else {
			wf_cli_print_dump(dump);
		}
		return WF_CLI_EXIT_OK;
	}
	}
}

/* ---- split ----------------------------------------------------------------------------------- */

static gchar *wf_cli_split_output = NULL;

static const GOptionEntry wf_cli_split_entries[] = {
	{"output",
	 'o',
	 0,
	 G_OPTION_ARG_FILENAME,
	 &wf_cli_split_output,
	 N_("The package folder to create; it must not exist"),
	 N_("DIR")},
	{NULL},
};

int
wf_cli_cmd_split(WfCli *cli, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(WfFirmwarePackage) package = NULL;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "split",
		    _("DUMP -o DIR"),
		    _("Turns a full-flash dump (a backup's flash.bin, a readback) into a firmware "
		      "package: the bootloaders and main-region files cut at their GFH headers, "
		      "a .cfg with the ROM's own flash-id list, the file-system/NVRAM tail and "
		      "any other data as separate files, and wristflash-split.json, from which "
		      "the dump can be rebuilt byte for byte. SP Flash Tool reads the .cfg."),
		    wf_cli_split_entries,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc != 2 || wf_cli_split_output == NULL)
		return wf_cli_usage_error(cli, NULL, _("Usage: wristflash-cli split DUMP -o DIR"));
	dump = wf_dump_new_from_file(argv[1], &error);
	if (dump == NULL)
		return wf_cli_fail(cli, error);
	if (!wf_dump_split(dump, wf_cli_split_output, &error))
		return wf_cli_fail(cli, error);
	/* read it back: what is printed is what a later load will see */
	package = wf_firmware_package_new_from_path(wf_cli_split_output, &error);
	if (package == NULL)
		return wf_cli_fail(cli, error);
	if (cli->json) {
		g_autoptr(JsonNode) node = wf_firmware_package_to_json(package);
		wf_cli_print_json_member(cli, "split", wf_cli_split_output, node);
		return WF_CLI_EXIT_OK;
	}
	g_print(_("Wrote %s\n"), wf_cli_split_output);
	wf_cli_print_package(package);
	return WF_CLI_EXIT_OK;
}

/* ---- codes ----------------------------------------------------------------------------------- */

/* a package is put together in memory and read like a dump */
static WfDump *
wf_cli_codes_dump(const gchar *path, GError **error)
{
	WfCliInput input = WF_CLI_INPUT_IMAGE;
	g_autoptr(WfFirmwarePackage) package = NULL;
	g_autoptr(GBytes) image = NULL;
	guint32 size;

	if (!wf_cli_sniff(path, &input, error))
		return NULL;
	if (input == WF_CLI_INPUT_IMAGE)
		return wf_dump_new_from_file(path, error);
	if (input == WF_CLI_INPUT_SCATTER || input == WF_CLI_INPUT_ANDROID_SCATTER) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_NOT_SUPPORTED,
				    "a scatter file holds no code: give the firmware itself");
		return NULL;
	}
	package = wf_cli_load_package(path, error);
	if (package == NULL)
		return NULL;
	size = wf_firmware_package_get_flash_size(package);
	if (size == 0)
		size = (wf_firmware_package_get_end(package) + 0xFFFF) & ~0xFFFFu;
	image = wf_dump_rebuild(package, size, WF_DUMP_REBUILD_FLAG_EXACT, error);
	if (image == NULL)
		return NULL;
	return wf_dump_new_from_bytes(image, error);
}

int
wf_cli_cmd_codes(WfCli *cli, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) table_error = NULL;
	g_autoptr(WfKnowledgeTable) table = wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_CODES);
	g_autoptr(WfSecretCodes) codes = NULL;
	g_autoptr(WfDump) dump = NULL;
	GPtrArray *found;
	GPtrArray *warnings;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "codes",
		    _("PATH"),
		    _("Lists the secret dial codes (*#8375# and friends) in a firmware: a dump, "
		      "a ROM or a package. Compressed parts are decoded where possible; "
		      "ALICE-compressed code cannot be, and codes inside it are not listed."),
		    wf_cli_inspect_entries,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc != 2)
		return wf_cli_usage_error(cli, NULL, _("Usage: wristflash-cli codes PATH"));
	dump = wf_cli_codes_dump(argv[1], &error);
	if (dump == NULL)
		return wf_cli_fail(cli, error);
	if (!wf_knowledge_table_load_default(table, &table_error)) {
		g_printerr(_("Meanings are not available: %s\n"), table_error->message);
		g_clear_object(&table);
	}
	codes = wf_secret_codes_new(table);
	wf_dump_scan_codes(dump, codes);
	if (cli->json) {
		g_autoptr(JsonNode) node = wf_secret_codes_to_json(codes);
		wf_cli_print_json_member(cli, "codes", argv[1], node);
		return WF_CLI_EXIT_OK;
	}
	found = wf_secret_codes_get_codes(codes);
	for (guint i = 0; i < found->len; i++) {
		const WfSecretCode *code = g_ptr_array_index(found, i);
		const WfSecretCodeOccurrence *occ =
			&g_array_index(code->occurrences, WfSecretCodeOccurrence, 0);
		const gchar *meaning = wf_secret_code_get_meaning(code);
		g_print("%-16s %s%s  [%s]\n",
			code->code,
			meaning != NULL ? meaning : _("(unknown)"),
			wf_secret_code_is_network_string(code) ? _(" — probably a network string")
							       : "",
			occ->region);
	}
	g_print(ngettext("%u code found.\n", "%u codes found.\n", found->len), found->len);
	warnings = wf_secret_codes_get_warnings(codes);
	for (guint i = 0; i < warnings->len; i++)
		g_print("%s %s\n", _("Note:"), (const gchar *)g_ptr_array_index(warnings, i));
	return WF_CLI_EXIT_OK;
}
