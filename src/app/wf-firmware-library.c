/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-firmware-library.h"

#include <errno.h>
#include <json-glib/json-glib.h>

#include "wf-error.h"

#define WF_FIRMWARE_LIBRARY_FORMAT 1

struct _WfFirmwareLibrary {
	GObject parent_instance;
	gchar *path;
	GPtrArray *packages; /* (element-type utf8) absolute paths, in the order added */
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS] = {0};

G_DEFINE_FINAL_TYPE(WfFirmwareLibrary, wf_firmware_library, G_TYPE_OBJECT)

/**
 * wf_firmware_library_get_default_path:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/wristflash/firmware-library.json
 */
gchar *
wf_firmware_library_get_default_path(void)
{
	return g_build_filename(g_get_user_data_dir(), "wristflash", "firmware-library.json", NULL);
}

/**
 * wf_firmware_library_load:
 *
 * Reads the list; a missing file is an empty library.
 */
gboolean
wf_firmware_library_load(WfFirmwareLibrary *self, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	JsonNode *root;
	JsonArray *array;

	g_return_val_if_fail(WF_IS_FIRMWARE_LIBRARY(self), FALSE);
	g_ptr_array_set_size(self->packages, 0);
	if (!json_parser_load_from_file(parser, self->path, &error_local)) {
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return TRUE;
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: %s",
			    self->path,
			    error_local->message);
		return FALSE;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root) ||
	    !json_object_has_member(json_node_get_object(root), "packages")) {
		g_set_error(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s: no package list", self->path);
		return FALSE;
	}
	array = json_object_get_array_member(json_node_get_object(root), "packages");
	for (guint i = 0; array != NULL && i < json_array_get_length(array); i++) {
		JsonNode *node = json_array_get_element(array, i);
		if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING)
			g_ptr_array_add(self->packages, g_strdup(json_node_get_string(node)));
	}
	return TRUE;
}

/* rewritten whole and atomically: a crash never leaves half a list */
static gboolean
wf_firmware_library_save(WfFirmwareLibrary *self, GError **error)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *dir = g_path_get_dirname(self->path);
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error_local = NULL;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "format");
	json_builder_add_int_value(builder, WF_FIRMWARE_LIBRARY_FORMAT);
	json_builder_set_member_name(builder, "packages");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->packages->len; i++)
		json_builder_add_string_value(builder, g_ptr_array_index(self->packages, i));
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	text = json_generator_to_data(generator, NULL);

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		wf_error_convert_errno(error, errno, dir);
		return FALSE;
	}
	if (!g_file_set_contents(self->path, text, -1, &error_local)) {
		g_set_error(error, WF_ERROR, WF_ERROR_WRITE, "%s", error_local->message);
		return FALSE;
	}
	return TRUE;
}

static gchar *
wf_firmware_library_canonical(const gchar *package)
{
	g_autoptr(GFile) file = g_file_new_for_commandline_arg(package);
	return g_file_get_path(file);
}

gboolean
wf_firmware_library_contains(WfFirmwareLibrary *self, const gchar *package)
{
	g_autofree gchar *path = NULL;

	g_return_val_if_fail(WF_IS_FIRMWARE_LIBRARY(self), FALSE);
	g_return_val_if_fail(package != NULL, FALSE);
	path = wf_firmware_library_canonical(package);
	for (guint i = 0; path != NULL && i < self->packages->len; i++) {
		if (g_strcmp0(g_ptr_array_index(self->packages, i), path) == 0)
			return TRUE;
	}
	return FALSE;
}

/**
 * wf_firmware_library_add:
 * @package: a folder, .cfg or archive
 *
 * Remembers @package (once) and saves the list.
 */
gboolean
wf_firmware_library_add(WfFirmwareLibrary *self, const gchar *package, GError **error)
{
	g_autofree gchar *path = NULL;

	g_return_val_if_fail(WF_IS_FIRMWARE_LIBRARY(self), FALSE);
	g_return_val_if_fail(package != NULL, FALSE);
	path = wf_firmware_library_canonical(package);
	if (path == NULL || !g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, WF_ERROR, WF_ERROR_NOT_FOUND, "%s does not exist", package);
		return FALSE;
	}
	if (wf_firmware_library_contains(self, path))
		return TRUE;
	g_ptr_array_add(self->packages, g_steal_pointer(&path));
	if (!wf_firmware_library_save(self, error)) {
		g_ptr_array_remove_index(self->packages, self->packages->len - 1);
		return FALSE;
	}
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
	return TRUE;
}

/**
 * wf_firmware_library_remove:
 *
 * Forgets @package; its files stay where they are.
 */
gboolean
wf_firmware_library_remove(WfFirmwareLibrary *self, const gchar *package, GError **error)
{
	g_autofree gchar *path = NULL;

	g_return_val_if_fail(WF_IS_FIRMWARE_LIBRARY(self), FALSE);
	g_return_val_if_fail(package != NULL, FALSE);
	path = wf_firmware_library_canonical(package);
	for (guint i = 0; path != NULL && i < self->packages->len; i++) {
		if (g_strcmp0(g_ptr_array_index(self->packages, i), path) != 0)
			continue;
		g_ptr_array_remove_index(self->packages, i);
		if (!wf_firmware_library_save(self, error))
			return FALSE;
		g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
		return TRUE;
	}
	g_set_error(error, WF_ERROR, WF_ERROR_NOT_FOUND, "%s is not in the library", package);
	return FALSE;
}

/**
 * wf_firmware_library_get_packages:
 *
 * Returns: (transfer none) (element-type utf8): the packages' paths
 */
GPtrArray *
wf_firmware_library_get_packages(WfFirmwareLibrary *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_LIBRARY(self), NULL);
	return self->packages;
}

static void
wf_firmware_library_finalize(GObject *object)
{
	WfFirmwareLibrary *self = WF_FIRMWARE_LIBRARY(object);

	g_free(self->path);
	g_ptr_array_unref(self->packages);
	G_OBJECT_CLASS(wf_firmware_library_parent_class)->finalize(object);
}

static void
wf_firmware_library_class_init(WfFirmwareLibraryClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_firmware_library_finalize;
	/**
	 * WfFirmwareLibrary::changed:
	 *
	 * A package was added or removed.
	 */
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST,
					       0,
					       NULL,
					       NULL,
					       NULL,
					       G_TYPE_NONE,
					       0);
}

static void
wf_firmware_library_init(WfFirmwareLibrary *self)
{
	self->packages = g_ptr_array_new_with_free_func(g_free);
}

/**
 * wf_firmware_library_new:
 * @path: (nullable): the list's file; %NULL for the default
 */
WfFirmwareLibrary *
wf_firmware_library_new(const gchar *path)
{
	WfFirmwareLibrary *self = g_object_new(WF_TYPE_FIRMWARE_LIBRARY, NULL);
	self->path = path != NULL ? g_strdup(path) : wf_firmware_library_get_default_path();
	return self;
}
