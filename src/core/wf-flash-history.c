/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-flash-history.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wf-error.h"

#define WF_FLASH_HISTORY_SUFFIX ".json"

struct _WfFlashHistory {
	GObject parent_instance;
	gchar *dir;
};

G_DEFINE_FINAL_TYPE(WfFlashHistory, wf_flash_history, G_TYPE_OBJECT)

/* ---- entries ------------------------------------------------------------------------------- */

static void
wf_flash_history_source_free(WfFlashHistorySource *source)
{
	g_free(source->path);
	g_free(source->sha256);
	g_free(source);
}

static void
wf_flash_history_region_free(WfFlashHistoryRegion *region)
{
	g_free(region->name);
	g_free(region->sha256);
	g_free(region->state);
	g_free(region);
}

/**
 * wf_flash_history_entry_new:
 * @operation: %WF_FLASH_HISTORY_OP_RESTORE, _FLASH or _ERASE
 * @me_id: the watch's ME ID (hex)
 *
 * Returns: (transfer full): an entry started now, result "failed" until
 * the caller says otherwise
 */
WfFlashHistoryEntry *
wf_flash_history_entry_new(const gchar *operation, const gchar *me_id)
{
	WfFlashHistoryEntry *entry = g_new0(WfFlashHistoryEntry, 1);

	g_return_val_if_fail(operation != NULL, NULL);
	entry->operation = g_strdup(operation);
	entry->me_id = me_id != NULL ? g_ascii_strdown(me_id, -1) : NULL;
	entry->result = g_strdup(WF_FLASH_HISTORY_RESULT_FAILED);
	entry->started = g_date_time_new_now_utc();
	entry->sources =
		g_ptr_array_new_with_free_func((GDestroyNotify)wf_flash_history_source_free);
	entry->regions =
		g_ptr_array_new_with_free_func((GDestroyNotify)wf_flash_history_region_free);
	entry->tool = g_strdup("wristflash " PACKAGE_VERSION);
	return entry;
}

void
wf_flash_history_entry_free(WfFlashHistoryEntry *entry)
{
	if (entry == NULL)
		return;
	g_free(entry->operation);
	g_free(entry->method);
	g_free(entry->method_reason);
	g_free(entry->result);
	g_free(entry->error);
	if (entry->started != NULL)
		g_date_time_unref(entry->started);
	g_free(entry->me_id);
	g_free(entry->jedec_id);
	g_free(entry->chip);
	g_free(entry->backup_dir);
	g_free(entry->backup_sha256);
	g_ptr_array_unref(entry->sources);
	g_ptr_array_unref(entry->regions);
	g_free(entry->tool);
	g_free(entry);
}

void
wf_flash_history_entry_add_source(WfFlashHistoryEntry *entry,
				  const gchar *path,
				  const gchar *sha256,
				  guint64 size)
{
	WfFlashHistorySource *source;

	g_return_if_fail(entry != NULL);
	g_return_if_fail(path != NULL);
	source = g_new0(WfFlashHistorySource, 1);
	source->path = g_strdup(path);
	source->sha256 = g_strdup(sha256);
	source->size = size;
	g_ptr_array_add(entry->sources, source);
}

void
wf_flash_history_entry_add_region(WfFlashHistoryEntry *entry,
				  const gchar *name,
				  guint32 offset,
				  guint32 length,
				  const gchar *sha256,
				  const gchar *state)
{
	WfFlashHistoryRegion *region;

	g_return_if_fail(entry != NULL);
	g_return_if_fail(state != NULL);
	region = g_new0(WfFlashHistoryRegion, 1);
	region->name = g_strdup(name != NULL ? name : "");
	region->offset = offset;
	region->length = length;
	region->sha256 = g_strdup(sha256);
	region->state = g_strdup(state);
	g_ptr_array_add(entry->regions, region);
}

static void
wf_flash_history_json_string(JsonBuilder *builder, const gchar *key, const gchar *value)
{
	if (value == NULL)
		return;
	json_builder_set_member_name(builder, key);
	json_builder_add_string_value(builder, value);
}

/**
 * wf_flash_history_entry_to_json:
 * @entry: an entry
 *
 * Returns: (transfer full): the entry as stored in the history file
 */
JsonNode *
wf_flash_history_entry_to_json(const WfFlashHistoryEntry *entry)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autofree gchar *started = NULL;

	g_return_val_if_fail(entry != NULL, NULL);
	started = g_date_time_format_iso8601(entry->started);
	json_builder_begin_object(builder);
	wf_flash_history_json_string(builder, "started", started);
	json_builder_set_member_name(builder, "seconds");
	json_builder_add_double_value(builder, entry->seconds);
	wf_flash_history_json_string(builder, "operation", entry->operation);
	wf_flash_history_json_string(builder, "method", entry->method);
	wf_flash_history_json_string(builder, "method_reason", entry->method_reason);
	wf_flash_history_json_string(builder, "result", entry->result);
	wf_flash_history_json_string(builder, "error", entry->error);
	wf_flash_history_json_string(builder, "me_id", entry->me_id);
	wf_flash_history_json_string(builder, "jedec_id", entry->jedec_id);
	wf_flash_history_json_string(builder, "chip", entry->chip);
	wf_flash_history_json_string(builder, "backup_dir", entry->backup_dir);
	wf_flash_history_json_string(builder, "backup_sha256", entry->backup_sha256);
	json_builder_set_member_name(builder, "bytes_written");
	json_builder_add_int_value(builder, (gint64)entry->bytes_written);
	json_builder_set_member_name(builder, "sources");
	json_builder_begin_array(builder);
	for (guint i = 0; i < entry->sources->len; i++) {
		const WfFlashHistorySource *source = g_ptr_array_index(entry->sources, i);
		json_builder_begin_object(builder);
		wf_flash_history_json_string(builder, "path", source->path);
		wf_flash_history_json_string(builder, "sha256", source->sha256);
		json_builder_set_member_name(builder, "size");
		json_builder_add_int_value(builder, (gint64)source->size);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "regions");
	json_builder_begin_array(builder);
	for (guint i = 0; i < entry->regions->len; i++) {
		const WfFlashHistoryRegion *region = g_ptr_array_index(entry->regions, i);
		json_builder_begin_object(builder);
		wf_flash_history_json_string(builder, "name", region->name);
		json_builder_set_member_name(builder, "offset");
		json_builder_add_int_value(builder, region->offset);
		json_builder_set_member_name(builder, "length");
		json_builder_add_int_value(builder, region->length);
		wf_flash_history_json_string(builder, "sha256", region->sha256);
		wf_flash_history_json_string(builder, "state", region->state);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	wf_flash_history_json_string(builder, "tool", entry->tool);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

static gchar *
wf_flash_history_dup_member(JsonObject *object, const gchar *key)
{
	JsonNode *node = json_object_get_member(object, key);

	if (node == NULL || json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return g_strdup(json_node_get_string(node));
}

static gboolean
wf_flash_history_parse_sources(WfFlashHistoryEntry *entry, JsonObject *object, GError **error)
{
	JsonArray *array;

	if (!json_object_has_member(object, "sources"))
		return TRUE;
	array = json_object_get_array_member(object, "sources");
	if (array == NULL) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "“sources” is not an array");
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *item = json_array_get_object_element(array, i);
		g_autofree gchar *path = NULL;
		g_autofree gchar *sha256 = NULL;

		if (item == NULL || (path = wf_flash_history_dup_member(item, "path")) == NULL) {
			g_set_error(
				error, WF_ERROR, WF_ERROR_INVALID_FILE, "source %u has no path", i);
			return FALSE;
		}
		sha256 = wf_flash_history_dup_member(item, "sha256");
		wf_flash_history_entry_add_source(
			entry,
			path,
			sha256,
			(guint64)MAX(json_object_get_int_member_with_default(item, "size", 0), 0));
	}
	return TRUE;
}

static gboolean
wf_flash_history_parse_regions(WfFlashHistoryEntry *entry, JsonObject *object, GError **error)
{
	JsonArray *array;

	if (!json_object_has_member(object, "regions"))
		return TRUE;
	array = json_object_get_array_member(object, "regions");
	if (array == NULL) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "“regions” is not an array");
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *item = json_array_get_object_element(array, i);
		g_autofree gchar *name = NULL;
		g_autofree gchar *sha256 = NULL;
		g_autofree gchar *state = NULL;
		gint64 offset, length;

		if (item == NULL || (state = wf_flash_history_dup_member(item, "state")) == NULL) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "region %u has no state",
				    i);
			return FALSE;
		}
		offset = json_object_get_int_member_with_default(item, "offset", -1);
		length = json_object_get_int_member_with_default(item, "length", -1);
		if (offset < 0 || offset > G_MAXUINT32 || length < 0 || length > G_MAXUINT32) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "region %u has no valid offset and length",
				    i);
			return FALSE;
		}
		name = wf_flash_history_dup_member(item, "name");
		sha256 = wf_flash_history_dup_member(item, "sha256");
		wf_flash_history_entry_add_region(
			entry, name, (guint32)offset, (guint32)length, sha256, state);
	}
	return TRUE;
}

/**
 * wf_flash_history_entry_from_json:
 * @object: one element of a history file's "entries"
 * @error: (out): return location
 *
 * Returns: (transfer full): the entry, or %NULL if a required member
 * (started, operation, result) is missing
 */
WfFlashHistoryEntry *
wf_flash_history_entry_from_json(JsonObject *object, GError **error)
{
	g_autoptr(WfFlashHistoryEntry) entry = NULL;
	g_autofree gchar *operation = NULL;
	g_autofree gchar *started = NULL;
	g_autofree gchar *me_id = NULL;

	g_return_val_if_fail(object != NULL, NULL);
	operation = wf_flash_history_dup_member(object, "operation");
	started = wf_flash_history_dup_member(object, "started");
	if (operation == NULL || started == NULL) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "an entry has no “operation” or “started”");
		return NULL;
	}
	me_id = wf_flash_history_dup_member(object, "me_id");
	entry = wf_flash_history_entry_new(operation, me_id);
	g_date_time_unref(entry->started);
	entry->started = g_date_time_new_from_iso8601(started, NULL);
	if (entry->started == NULL) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "“%s” is not an ISO 8601 time",
			    started);
		return NULL;
	}
	g_free(entry->result);
	entry->result = wf_flash_history_dup_member(object, "result");
	if (entry->result == NULL) {
		g_set_error_literal(
			error, WF_ERROR, WF_ERROR_INVALID_FILE, "an entry has no “result”");
		return NULL;
	}
	entry->seconds = json_object_get_double_member_with_default(object, "seconds", 0);
	entry->method = wf_flash_history_dup_member(object, "method");
	entry->method_reason = wf_flash_history_dup_member(object, "method_reason");
	entry->error = wf_flash_history_dup_member(object, "error");
	entry->jedec_id = wf_flash_history_dup_member(object, "jedec_id");
	entry->chip = wf_flash_history_dup_member(object, "chip");
	entry->backup_dir = wf_flash_history_dup_member(object, "backup_dir");
	entry->backup_sha256 = wf_flash_history_dup_member(object, "backup_sha256");
	entry->bytes_written = (guint64)MAX(
		json_object_get_int_member_with_default(object, "bytes_written", 0), 0);
	g_free(entry->tool);
	entry->tool = wf_flash_history_dup_member(object, "tool");
	if (!wf_flash_history_parse_sources(entry, object, error) ||
	    !wf_flash_history_parse_regions(entry, object, error))
		return NULL;
	return g_steal_pointer(&entry);
}

/* ---- the history folder -------------------------------------------------------------------- */

static void
wf_flash_history_finalize(GObject *object)
{
	WfFlashHistory *self = WF_FLASH_HISTORY(object);
	g_free(self->dir);
	G_OBJECT_CLASS(wf_flash_history_parent_class)->finalize(object);
}

static void
wf_flash_history_class_init(WfFlashHistoryClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_flash_history_finalize;
}

static void
wf_flash_history_init(WfFlashHistory *self)
{
}

/**
 * wf_flash_history_new:
 * @dir: (nullable): where the files go; %NULL = $XDG_DATA_HOME/wristflash/history
 *
 * Returns: (transfer full): a #WfFlashHistory
 */
WfFlashHistory *
wf_flash_history_new(const gchar *dir)
{
	WfFlashHistory *self = g_object_new(WF_TYPE_FLASH_HISTORY, NULL);

	if (dir != NULL)
		self->dir = g_strdup(dir);
	else
		self->dir = g_build_filename(g_get_user_data_dir(), "wristflash", "history", NULL);
	return self;
}

const gchar *
wf_flash_history_get_dir(WfFlashHistory *self)
{
	g_return_val_if_fail(WF_IS_FLASH_HISTORY(self), NULL);
	return self->dir;
}

/* the ME ID names the file: hex digits only, so it can never leave the folder */
static gboolean
wf_flash_history_check_me_id(const gchar *me_id, GError **error)
{
	if (me_id == NULL || me_id[0] == '\0' || strlen(me_id) > 64)
		goto bad;
	for (const gchar *p = me_id; *p != '\0'; p++) {
		if (!g_ascii_isxdigit(*p))
			goto bad;
	}
	return TRUE;
bad:
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_DATA,
		    "“%s” is not an ME ID (hex digits)",
		    me_id != NULL ? me_id : "(none)");
	return FALSE;
}

/**
 * wf_flash_history_get_path:
 * @self: a #WfFlashHistory
 * @me_id: a watch's ME ID
 *
 * Returns: (transfer full) (nullable): the watch's history file, %NULL if
 * @me_id is not hex
 */
gchar *
wf_flash_history_get_path(WfFlashHistory *self, const gchar *me_id)
{
	g_autofree gchar *lower = NULL;
	g_autofree gchar *name = NULL;

	g_return_val_if_fail(WF_IS_FLASH_HISTORY(self), NULL);
	if (!wf_flash_history_check_me_id(me_id, NULL))
		return NULL;
	lower = g_ascii_strdown(me_id, -1);
	name = g_strconcat(lower, WF_FLASH_HISTORY_SUFFIX, NULL);
	return g_build_filename(self->dir, name, NULL);
}

static JsonArray *
wf_flash_history_read_entries(const gchar *path, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *root;
	JsonObject *object;
	JsonArray *entries;

	if (!json_parser_load_from_file(parser, path, error)) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		goto bad;
	object = json_node_get_object(root);
	if (json_object_get_int_member_with_default(object, "format", 0) != WF_FLASH_HISTORY_FORMAT)
		goto bad;
	entries = json_object_get_array_member(object, "entries");
	if (entries == NULL)
		goto bad;
	return json_array_ref(entries);
bad:
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_FILE,
		    "%s is not a Wristflash history file (format %d)",
		    path,
		    WF_FLASH_HISTORY_FORMAT);
	return NULL;
}

/**
 * wf_flash_history_load:
 * @self: a #WfFlashHistory
 * @me_id: a watch's ME ID
 * @error: (out): return location
 *
 * Returns: (transfer container) (element-type WfFlashHistoryEntry): the
 * watch's entries, oldest first; empty if it has none
 */
GPtrArray *
wf_flash_history_load(WfFlashHistory *self, const gchar *me_id, GError **error)
{
	g_autoptr(GPtrArray) result =
		g_ptr_array_new_with_free_func((GDestroyNotify)wf_flash_history_entry_free);
	g_autofree gchar *path = NULL;
	g_autoptr(JsonArray) entries = NULL;

	g_return_val_if_fail(WF_IS_FLASH_HISTORY(self), NULL);
	if (!wf_flash_history_check_me_id(me_id, error))
		return NULL;
	path = wf_flash_history_get_path(self, me_id);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return g_steal_pointer(&result);
	entries = wf_flash_history_read_entries(path, error);
	if (entries == NULL)
		return NULL;
	for (guint i = 0; i < json_array_get_length(entries); i++) {
		JsonObject *object = json_array_get_object_element(entries, i);
		WfFlashHistoryEntry *entry;

		if (object == NULL) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s: entry %u is not an object",
				    path,
				    i);
			return NULL;
		}
		entry = wf_flash_history_entry_from_json(object, error);
		if (entry == NULL) {
			g_prefix_error(error, "%s: entry %u: ", path, i);
			return NULL;
		}
		g_ptr_array_add(result, entry);
	}
	return g_steal_pointer(&result);
}

/* A history file we cannot read is kept aside, never overwritten: it may
 * be the only record of what happened to the watch. */
static gboolean
wf_flash_history_set_aside(const gchar *path, GError **error)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree gchar *stamp = g_date_time_format(now, "%Y%m%dT%H%M%SZ");
	g_autofree gchar *aside = g_strdup_printf("%s.damaged-%s", path, stamp);

	if (g_rename(path, aside) != 0) {
		g_autofree gchar *what = g_strdup_printf("rename %s", path);
		wf_error_convert_errno(error, errno, what);
		return FALSE;
	}
	g_warning("the history file %s could not be read; it was kept as %s", path, aside);
	return TRUE;
}

/**
 * wf_flash_history_append:
 * @self: a #WfFlashHistory
 * @entry: what happened; its @me_id names the watch
 * @error: (out): return location
 *
 * Adds @entry to the watch's history file, creating the folder and file if
 * needed. The file is replaced atomically (write, fsync, rename).
 */
gboolean
wf_flash_history_append(WfFlashHistory *self, const WfFlashHistoryEntry *entry, GError **error)
{
	g_autofree gchar *path = NULL;
	g_autoptr(JsonArray) entries = NULL;
	g_autoptr(JsonObject) root = json_object_new();
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autofree gchar *text = NULL;

	g_return_val_if_fail(WF_IS_FLASH_HISTORY(self), FALSE);
	g_return_val_if_fail(entry != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!wf_flash_history_check_me_id(entry->me_id, error))
		return FALSE;
	path = wf_flash_history_get_path(self, entry->me_id);
	if (g_mkdir_with_parents(self->dir, 0755) != 0) {
		g_autofree gchar *what = g_strdup_printf("create %s", self->dir);
		wf_error_convert_errno(error, errno, what);
		return FALSE;
	}
	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_autoptr(GError) error_local = NULL;
		entries = wf_flash_history_read_entries(path, &error_local);
		if (entries == NULL && !wf_flash_history_set_aside(path, error))
			return FALSE;
	}
	if (entries == NULL)
		entries = json_array_new();
	json_array_add_element(entries, wf_flash_history_entry_to_json(entry));
	json_object_set_int_member(root, "format", WF_FLASH_HISTORY_FORMAT);
	json_object_set_string_member(root, "me_id", entry->me_id);
	json_object_set_array_member(root, "entries", json_array_ref(entries));
	json_node_set_object(node, root);
	json_generator_set_root(generator, node);
	json_generator_set_pretty(generator, TRUE);
	text = json_generator_to_data(generator, NULL);
	if (!g_file_set_contents_full(path,
				      text,
				      -1,
				      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
				      0644,
				      error)) {
		g_prefix_error(error, "cannot write the flash history: ");
		return FALSE;
	}
	return TRUE;
}

static gint
wf_flash_history_compare_ids(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * wf_flash_history_list_watches:
 * @self: a #WfFlashHistory
 * @error: (out): return location
 *
 * Returns: (transfer full): the ME IDs that have a history, sorted; empty
 * when there is no history folder yet
 */
gchar **
wf_flash_history_list_watches(WfFlashHistory *self, GError **error)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GError) error_local = NULL;
	const gchar *name;

	g_return_val_if_fail(WF_IS_FLASH_HISTORY(self), NULL);
	dir = g_dir_open(self->dir, 0, &error_local);
	if (dir == NULL) {
		if (!g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_set_error(error, WF_ERROR, WF_ERROR_READ, "%s", error_local->message);
			return NULL;
		}
	} else {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *id = NULL;
			if (!g_str_has_suffix(name, WF_FLASH_HISTORY_SUFFIX))
				continue;
			id = g_strndup(name, strlen(name) - strlen(WF_FLASH_HISTORY_SUFFIX));
			if (wf_flash_history_check_me_id(id, NULL))
				g_ptr_array_add(ids, g_steal_pointer(&id));
		}
	}
	g_ptr_array_sort(ids, wf_flash_history_compare_ids);
	g_ptr_array_add(ids, NULL);
	return (gchar **)g_ptr_array_free(g_steal_pointer(&ids), FALSE);
}
