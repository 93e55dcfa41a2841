/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-knowledge-table.h"

#include "wf-error.h"

/* the tables are ours, but a user may drop a file in WF_DATA_DIR: keep limits */
#define WF_KNOWLEDGE_TABLE_MAX_FILE_SIZE (4 * 1024 * 1024)
#define WF_KNOWLEDGE_TABLE_MAX_KEY_LEN	 128

typedef struct {
	JsonObject *entry;   /* borrowed from the file's root node */
	JsonObject *sources; /* the file's "sources" map, borrowed */
	GRegex *regex;	     /* for pattern entries, else NULL */
} WfKnowledgeItem;

struct _WfKnowledgeTable {
	GObject parent_instance;
	gchar *kind;
	GPtrArray *roots;     /* JsonNode, keeps every loaded file alive */
	GPtrArray *files;     /* gchar* */
	GPtrArray *items;     /* WfKnowledgeItem, load order */
	GPtrArray *entries;   /* JsonObject, borrowed, load order */
	GHashTable *exact;    /* normalised key -> WfKnowledgeItem */
	GPtrArray *patterns;  /* WfKnowledgeItem with a regex, borrowed */
	GHashTable *by_entry; /* JsonObject -> WfKnowledgeItem, borrowed */
};

G_DEFINE_FINAL_TYPE(WfKnowledgeTable, wf_knowledge_table, G_TYPE_OBJECT)

const gchar *
wf_confidence_to_string(WfConfidence confidence)
{
	switch (confidence) {
	case WF_CONFIDENCE_LOW:
		return "low";
	case WF_CONFIDENCE_MEDIUM:
		return "medium";
	case WF_CONFIDENCE_HIGH:
		return "high";
	case WF_CONFIDENCE_UNKNOWN:
	default:
		return "unknown";
	}
}

WfConfidence
wf_confidence_from_string(const gchar *str)
{
	if (g_strcmp0(str, "low") == 0)
		return WF_CONFIDENCE_LOW;
	if (g_strcmp0(str, "medium") == 0)
		return WF_CONFIDENCE_MEDIUM;
	if (g_strcmp0(str, "high") == 0)
		return WF_CONFIDENCE_HIGH;
	return WF_CONFIDENCE_UNKNOWN;
}

static void
wf_knowledge_item_free(gpointer data)
{
	WfKnowledgeItem *item = data;
	if (item->regex != NULL)
		g_regex_unref(item->regex);
	g_free(item);
}

static void
wf_knowledge_table_finalize(GObject *object)
{
	WfKnowledgeTable *self = WF_KNOWLEDGE_TABLE(object);
	g_hash_table_unref(self->by_entry);
	g_hash_table_unref(self->exact);
	g_ptr_array_unref(self->patterns);
	g_ptr_array_unref(self->entries);
	g_ptr_array_unref(self->items);
	g_ptr_array_unref(self->files);
	g_ptr_array_unref(self->roots);
	g_free(self->kind);
	G_OBJECT_CLASS(wf_knowledge_table_parent_class)->finalize(object);
}

static void
wf_knowledge_table_class_init(WfKnowledgeTableClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_knowledge_table_finalize;
}

static void
wf_knowledge_table_init(WfKnowledgeTable *self)
{
	self->roots = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
	self->files = g_ptr_array_new_with_free_func(g_free);
	self->items = g_ptr_array_new_with_free_func(wf_knowledge_item_free);
	self->entries = g_ptr_array_new();
	self->exact = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->patterns = g_ptr_array_new();
	self->by_entry = g_hash_table_new(g_direct_hash, g_direct_equal);
}

/**
 * wf_knowledge_table_new:
 * @kind: %WF_KNOWLEDGE_TABLE_KIND_CODES or %WF_KNOWLEDGE_TABLE_KIND_COMPONENTS
 *
 * Returns: (transfer full): an empty table; load files into it.
 */
WfKnowledgeTable *
wf_knowledge_table_new(const gchar *kind)
{
	WfKnowledgeTable *self;
	g_return_val_if_fail(g_strcmp0(kind, WF_KNOWLEDGE_TABLE_KIND_CODES) == 0 ||
				     g_strcmp0(kind, WF_KNOWLEDGE_TABLE_KIND_COMPONENTS) == 0,
			     NULL);
	self = g_object_new(WF_TYPE_KNOWLEDGE_TABLE, NULL);
	self->kind = g_strdup(kind);
	return self;
}

const gchar *
wf_knowledge_table_get_kind(WfKnowledgeTable *self)
{
	g_return_val_if_fail(WF_IS_KNOWLEDGE_TABLE(self), NULL);
	return self->kind;
}

/**
 * wf_knowledge_table_get_data_dir:
 *
 * Tests and uninstalled runs point `WF_DATA_DIR` at the source tree's data/;
 * installed builds use the package data directory.
 *
 * Returns: (transfer full): the directory holding codes/ and components/
 */
gchar *
wf_knowledge_table_get_data_dir(void)
{
	const gchar *env = g_getenv("WF_DATA_DIR");
	if (env != NULL && env[0] != '\0')
		return g_strdup(env);
	return g_strdup(PKGDATADIR);
}

static gboolean
wf_knowledge_table_is_codes(WfKnowledgeTable *self)
{
	return g_strcmp0(self->kind, WF_KNOWLEDGE_TABLE_KIND_CODES) == 0;
}

/* components are matched case-insensitively: "gprs" and "GPRS" are one token */
static gchar *
wf_knowledge_table_normalise_key(WfKnowledgeTable *self, const gchar *key)
{
	if (wf_knowledge_table_is_codes(self))
		return g_strdup(key);
	return g_ascii_strup(key, -1);
}

/**
 * wf_knowledge_entry_get_string:
 * @entry: an entry of a #WfKnowledgeTable
 * @member: a member name
 *
 * Returns: the member's string, or %NULL if absent or null
 */
const gchar *
wf_knowledge_entry_get_string(JsonObject *entry, const gchar *member)
{
	JsonNode *node;
	g_return_val_if_fail(entry != NULL, NULL);
	g_return_val_if_fail(member != NULL, NULL);
	node = json_object_get_member(entry, member);
	if (node == NULL || JSON_NODE_HOLDS_NULL(node) || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

WfConfidence
wf_knowledge_entry_get_confidence(JsonObject *entry)
{
	g_return_val_if_fail(entry != NULL, WF_CONFIDENCE_UNKNOWN);
	return wf_confidence_from_string(wf_knowledge_entry_get_string(entry, "confidence"));
}

static gboolean
wf_knowledge_node_is_string(JsonNode *node)
{
	return node != NULL && JSON_NODE_HOLDS_VALUE(node) &&
	       json_node_get_value_type(node) == G_TYPE_STRING;
}

/* a required non-empty string member */
static const gchar *
wf_knowledge_table_require_string(JsonObject *obj,
				  const gchar *member,
				  const gchar *where,
				  GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);
	if (!wf_knowledge_node_is_string(node) || json_node_get_string(node)[0] == '\0') {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: \"%s\" must be a non-empty string",
			    where,
			    member);
		return NULL;
	}
	return json_node_get_string(node);
}

/* an optional member that, when present, is a string or null */
static gboolean
wf_knowledge_table_check_optional_string(JsonObject *obj,
					 const gchar *member,
					 const gchar *where,
					 GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);
	if (node == NULL || JSON_NODE_HOLDS_NULL(node) || wf_knowledge_node_is_string(node))
		return TRUE;
	g_set_error(error,
		    WF_ERROR,
		    WF_ERROR_INVALID_FILE,
		    "%s: \"%s\" must be a string or null",
		    where,
		    member);
	return FALSE;
}

/* an optional array of non-empty strings */
static gboolean
wf_knowledge_table_check_string_array(
	JsonObject *obj, const gchar *member, gboolean required, const gchar *where, GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);
	JsonArray *array;

	if (node == NULL && !required)
		return TRUE;
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node) ||
	    json_array_get_length(json_node_get_array(node)) == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: \"%s\" must be a non-empty array of strings",
			    where,
			    member);
		return FALSE;
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *elem = json_array_get_element(array, i);
		if (!wf_knowledge_node_is_string(elem) || json_node_get_string(elem)[0] == '\0') {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s: \"%s\"[%u] must be a non-empty string",
				    where,
				    member,
				    i);
			return FALSE;
		}
	}
	return TRUE;
}

/* "TAG" or "TAG: detail" -> "TAG" */
static gchar *
wf_knowledge_source_tag(const gchar *source)
{
	const gchar *colon = strchr(source, ':');
	g_autofree gchar *tag =
		colon != NULL ? g_strndup(source, colon - source) : g_strdup(source);
	return g_strstrip(g_steal_pointer(&tag));
}

static gboolean
wf_knowledge_table_check_sources_map(JsonObject *root, const gchar *filename, GError **error)
{
	JsonNode *node = json_object_get_member(root, "sources");
	JsonObject *sources;
	g_autoptr(GList) members = NULL;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node) ||
	    json_object_get_size(json_node_get_object(node)) == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: \"sources\" must be a non-empty object of source tags",
			    filename);
		return FALSE;
	}
	sources = json_node_get_object(node);
	members = json_object_get_members(sources);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *tag = l->data;
		JsonNode *src = json_object_get_member(sources, tag);
		g_autofree gchar *where = g_strdup_printf("%s: source %s", filename, tag);
		if (tag[0] == '\0' || strchr(tag, ':') != NULL || !JSON_NODE_HOLDS_OBJECT(src)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s: must be an object under a tag without ':'",
				    where);
			return FALSE;
		}
		if (wf_knowledge_table_require_string(
			    json_node_get_object(src), "title", where, error) == NULL)
			return FALSE;
		if (!wf_knowledge_table_check_optional_string(
			    json_node_get_object(src), "url", where, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
wf_knowledge_table_check_entry_sources(JsonObject *entry,
				       JsonObject *sources,
				       const gchar *where,
				       GError **error)
{
	JsonArray *array;

	if (!wf_knowledge_table_check_string_array(entry, "sources", TRUE, where, error))
		return FALSE;
	array = json_object_get_array_member(entry, "sources");
	for (guint i = 0; i < json_array_get_length(array); i++) {
		g_autofree gchar *tag =
			wf_knowledge_source_tag(json_array_get_string_element(array, i));
		if (!json_object_has_member(sources, tag)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s: source tag \"%s\" is not defined in \"sources\"",
				    where,
				    tag);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
wf_knowledge_table_check_common(JsonObject *entry,
				JsonObject *sources,
				const gchar *where,
				GError **error)
{
	const gchar *confidence;

	/* "meaning" must be present so an unknown meaning is an explicit null */
	if (!json_object_has_member(entry, "meaning")) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: \"meaning\" is required (null when unknown)",
			    where);
		return FALSE;
	}
	if (!wf_knowledge_table_check_optional_string(entry, "meaning", where, error))
		return FALSE;
	confidence = wf_knowledge_table_require_string(entry, "confidence", where, error);
	if (confidence == NULL)
		return FALSE;
	if (wf_confidence_from_string(confidence) == WF_CONFIDENCE_UNKNOWN) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: confidence \"%s\" is not high, medium or low",
			    where,
			    confidence);
		return FALSE;
	}
	for (guint i = 0; i < 4; i++) {
		const gchar *opt[] = {"name", "notes", "condition", "category"};
		if (!wf_knowledge_table_check_optional_string(entry, opt[i], where, error))
			return FALSE;
	}
	if (!wf_knowledge_table_check_string_array(entry, "examples", FALSE, where, error))
		return FALSE;
	return wf_knowledge_table_check_entry_sources(entry, sources, where, error);
}

static gboolean
wf_knowledge_table_check_key_text(const gchar *key, const gchar *where, GError **error)
{
	if (strlen(key) > WF_KNOWLEDGE_TABLE_MAX_KEY_LEN) {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s: key too long", where);
		return FALSE;
	}
	for (const gchar *p = key; *p != '\0'; p++) {
		if (!g_ascii_isprint(*p) || *p == ' ') {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s: key must be printable ASCII without spaces",
				    where);
			return FALSE;
		}
	}
	return TRUE;
}

/* checks one entry and returns its key (borrowed) and, for patterns, a regex */
static const gchar *
wf_knowledge_table_check_entry(WfKnowledgeTable *self,
			       JsonObject *entry,
			       JsonObject *sources,
			       const gchar *where,
			       GRegex **regex,
			       GError **error)
{
	const gchar *key;
	const gchar *pattern;

	if (wf_knowledge_table_is_codes(self)) {
		key = wf_knowledge_table_require_string(entry, "code", where, error);
		if (key == NULL || !wf_knowledge_table_check_key_text(key, where, error))
			return NULL;
		if (!wf_knowledge_table_check_common(entry, sources, where, error))
			return NULL;
		return key;
	}

	/* components */
	if (wf_knowledge_table_require_string(entry, "category", where, error) == NULL)
		return NULL;
	if (!wf_knowledge_table_check_common(entry, sources, where, error))
		return NULL;
	for (guint i = 0; i < 5; i++) {
		const gchar *opt[] = {"part", "vendor", "glass", "platform", "ref"};
		if (!wf_knowledge_table_check_optional_string(entry, opt[i], where, error))
			return NULL;
	}
	if (!wf_knowledge_table_check_string_array(entry, "image_strings", FALSE, where, error))
		return NULL;
	if (json_object_has_member(entry, "token") == json_object_has_member(entry, "pattern")) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: exactly one of \"token\" and \"pattern\" is required",
			    where);
		return NULL;
	}
	if (json_object_has_member(entry, "token")) {
		key = wf_knowledge_table_require_string(entry, "token", where, error);
		if (key == NULL || !wf_knowledge_table_check_key_text(key, where, error))
			return NULL;
		return key;
	}
	pattern = wf_knowledge_table_require_string(entry, "pattern", where, error);
	if (pattern == NULL || !wf_knowledge_table_check_key_text(pattern, where, error))
		return NULL;
	{
		/* anchored: a pattern describes one whole token; not JIT-optimised:
		 * the patterns are tiny and matched against short tokens, and JIT
		 * code is opaque to valgrind */
		g_autofree gchar *anchored = g_strdup_printf("^(?:%s)$", pattern);
		g_autoptr(GError) error_local = NULL;
		*regex = g_regex_new(
			anchored, G_REGEX_CASELESS, G_REGEX_MATCH_DEFAULT, &error_local);
		if (*regex == NULL) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s: bad pattern: %s",
				    where,
				    error_local->message);
			return NULL;
		}
	}
	return pattern;
}

static gboolean
wf_knowledge_table_check_root(WfKnowledgeTable *self,
			      JsonNode *root,
			      const gchar *filename,
			      GError **error)
{
	JsonObject *obj;
	JsonNode *version;
	JsonNode *entries;

	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: top level must be an object",
			    filename);
		return FALSE;
	}
	obj = json_node_get_object(root);
	version = json_object_get_member(obj, "version");
	if (version == NULL || !JSON_NODE_HOLDS_VALUE(version) ||
	    json_node_get_value_type(version) != G_TYPE_INT64 || json_node_get_int(version) != 1) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: \"version\" must be 1",
			    filename);
		return FALSE;
	}
	if (g_strcmp0(wf_knowledge_entry_get_string(obj, "kind"), self->kind) != 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: \"kind\" must be \"%s\"",
			    filename,
			    self->kind);
		return FALSE;
	}
	if (!wf_knowledge_table_check_sources_map(obj, filename, error))
		return FALSE;
	entries = json_object_get_member(obj, "entries");
	if (entries == NULL || !JSON_NODE_HOLDS_ARRAY(entries) ||
	    json_array_get_length(json_node_get_array(entries)) == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s: \"entries\" must be a non-empty array",
			    filename);
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_knowledge_table_load_file:
 * @self: a #WfKnowledgeTable
 * @filename: a JSON knowledge file
 * @error: (nullable): return location for a #GError
 *
 * Validates the whole file before adding anything, so a bad file leaves the
 * table as it was. A key defined by an earlier file is an error.
 *
 * Returns: %TRUE on success
 */
gboolean
wf_knowledge_table_load_file(WfKnowledgeTable *self, const gchar *filename, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(wf_knowledge_item_free);
	g_autoptr(GHashTable) keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gchar *contents = NULL;
	g_autofree gchar *basename = NULL;
	JsonNode *root;
	JsonObject *sources;
	JsonArray *entries;
	gsize len = 0;

	g_return_val_if_fail(WF_IS_KNOWLEDGE_TABLE(self), FALSE);
	g_return_val_if_fail(filename != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	basename = g_path_get_basename(filename);
	if (!g_file_get_contents(filename, &contents, &len, error))
		return FALSE;
	if (len > WF_KNOWLEDGE_TABLE_MAX_FILE_SIZE) {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_FILE, "%s: too large", basename);
		return FALSE;
	}
	if (!json_parser_load_from_data(parser, contents, (gssize)len, error)) {
		g_prefix_error(error, "%s: ", basename);
		return FALSE;
	}
	root = json_parser_get_root(parser);
	if (!wf_knowledge_table_check_root(self, root, basename, error))
		return FALSE;
	sources = json_object_get_object_member(json_node_get_object(root), "sources");
	entries = json_object_get_array_member(json_node_get_object(root), "entries");
	for (guint i = 0; i < json_array_get_length(entries); i++) {
		JsonNode *node = json_array_get_element(entries, i);
		g_autofree gchar *where = g_strdup_printf("%s: entry %u", basename, i);
		g_autofree gchar *norm = NULL;
		WfKnowledgeItem *item;
		GRegex *regex = NULL;
		const gchar *key;

		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s: must be an object",
				    where);
			return FALSE;
		}
		key = wf_knowledge_table_check_entry(
			self, json_node_get_object(node), sources, where, &regex, error);
		if (key == NULL)
			return FALSE;
		item = g_new0(WfKnowledgeItem, 1);
		item->entry = json_node_get_object(node);
		item->sources = sources;
		item->regex = regex;
		g_ptr_array_add(items, item);
		if (regex != NULL)
			continue;
		norm = wf_knowledge_table_normalise_key(self, key);
		if (g_hash_table_contains(self->exact, norm) || g_hash_table_contains(keys, norm)) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_FILE,
				    "%s: \"%s\" is defined twice",
				    where,
				    key);
			return FALSE;
		}
		g_hash_table_add(keys, g_steal_pointer(&norm));
	}

	/* everything is valid: commit */
	for (guint i = 0; i < items->len; i++) {
		WfKnowledgeItem *item = g_ptr_array_index(items, i);
		g_ptr_array_add(self->entries, item->entry);
		g_hash_table_insert(self->by_entry, item->entry, item);
		if (item->regex != NULL) {
			g_ptr_array_add(self->patterns, item);
		} else {
			const gchar *key = wf_knowledge_entry_get_string(
				item->entry, wf_knowledge_table_is_codes(self) ? "code" : "token");
			g_hash_table_insert(
				self->exact, wf_knowledge_table_normalise_key(self, key), item);
		}
	}
	g_ptr_array_extend_and_steal(self->items, g_steal_pointer(&items));
	g_ptr_array_add(self->roots, json_parser_steal_root(parser));
	g_ptr_array_add(self->files, g_strdup(filename));
	return TRUE;
}

static gint
wf_knowledge_table_strcmp_cb(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * wf_knowledge_table_load_dir:
 * @self: a #WfKnowledgeTable
 * @dirname: a directory of `*.json` files
 * @error: (nullable): return location for a #GError
 *
 * Loads every `*.json` file in name order, so pattern priority is stable.
 *
 * Returns: %TRUE on success; %WF_ERROR_NOT_FOUND if no file was there
 */
gboolean
wf_knowledge_table_load_dir(WfKnowledgeTable *self, const gchar *dirname, GError **error)
{
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	g_return_val_if_fail(WF_IS_KNOWLEDGE_TABLE(self), FALSE);
	g_return_val_if_fail(dirname != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	dir = g_dir_open(dirname, 0, error);
	if (dir == NULL)
		return FALSE;
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (g_str_has_suffix(name, ".json"))
			g_ptr_array_add(names, g_build_filename(dirname, name, NULL));
	}
	if (names->len == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "no %s tables in %s",
			    self->kind,
			    dirname);
		return FALSE;
	}
	g_ptr_array_sort(names, wf_knowledge_table_strcmp_cb);
	for (guint i = 0; i < names->len; i++) {
		if (!wf_knowledge_table_load_file(self, g_ptr_array_index(names, i), error))
			return FALSE;
	}
	return TRUE;
}

/**
 * wf_knowledge_table_load_default:
 * @self: a #WfKnowledgeTable
 * @error: (nullable): return location for a #GError
 *
 * Loads `<data dir>/<kind>/`, see wf_knowledge_table_get_data_dir().
 *
 * Returns: %TRUE on success
 */
gboolean
wf_knowledge_table_load_default(WfKnowledgeTable *self, GError **error)
{
	g_autofree gchar *datadir = wf_knowledge_table_get_data_dir();
	g_autofree gchar *dirname = NULL;

	g_return_val_if_fail(WF_IS_KNOWLEDGE_TABLE(self), FALSE);
	dirname = g_build_filename(datadir, self->kind, NULL);
	return wf_knowledge_table_load_dir(self, dirname, error);
}

/**
 * wf_knowledge_table_get_entries:
 *
 * Returns: (transfer none) (element-type JsonObject): every entry, load order
 */
GPtrArray *
wf_knowledge_table_get_entries(WfKnowledgeTable *self)
{
	g_return_val_if_fail(WF_IS_KNOWLEDGE_TABLE(self), NULL);
	return self->entries;
}

/**
 * wf_knowledge_table_get_files:
 *
 * Returns: (transfer none) (element-type utf8): the files loaded, in order
 */
GPtrArray *
wf_knowledge_table_get_files(WfKnowledgeTable *self)
{
	g_return_val_if_fail(WF_IS_KNOWLEDGE_TABLE(self), NULL);
	return self->files;
}

static WfKnowledgeItem *
wf_knowledge_table_lookup_item(WfKnowledgeTable *self, const gchar *key)
{
	g_autofree gchar *norm = wf_knowledge_table_normalise_key(self, key);
	WfKnowledgeItem *item = g_hash_table_lookup(self->exact, norm);

	if (item != NULL)
		return item;
	for (guint i = 0; i < self->patterns->len; i++) {
		WfKnowledgeItem *pat = g_ptr_array_index(self->patterns, i);
		if (g_regex_match(pat->regex, key, G_REGEX_MATCH_DEFAULT, NULL))
			return pat;
	}
	return NULL;
}

/**
 * wf_knowledge_table_lookup:
 * @self: a #WfKnowledgeTable
 * @key: a code or a token
 *
 * Exact keys win over patterns; patterns are tried in load order.
 *
 * Returns: (transfer none) (nullable): the entry, or %NULL if unknown
 */
JsonObject *
wf_knowledge_table_lookup(WfKnowledgeTable *self, const gchar *key)
{
	WfKnowledgeItem *item;
	g_return_val_if_fail(WF_IS_KNOWLEDGE_TABLE(self), NULL);
	g_return_val_if_fail(key != NULL, NULL);
	if (strlen(key) > WF_KNOWLEDGE_TABLE_MAX_KEY_LEN)
		return NULL;
	item = wf_knowledge_table_lookup_item(self, key);
	return item != NULL ? item->entry : NULL;
}

/**
 * wf_knowledge_table_lookup_exact:
 * @self: a #WfKnowledgeTable
 * @key: a code or a token
 *
 * Like wf_knowledge_table_lookup() but ignores patterns.
 *
 * Returns: (transfer none) (nullable): the entry, or %NULL
 */
JsonObject *
wf_knowledge_table_lookup_exact(WfKnowledgeTable *self, const gchar *key)
{
	g_autofree gchar *norm = NULL;
	WfKnowledgeItem *item;
	g_return_val_if_fail(WF_IS_KNOWLEDGE_TABLE(self), NULL);
	g_return_val_if_fail(key != NULL, NULL);
	norm = wf_knowledge_table_normalise_key(self, key);
	item = g_hash_table_lookup(self->exact, norm);
	return item != NULL ? item->entry : NULL;
}

static WfKnowledgeItem *
wf_knowledge_table_find_item(WfKnowledgeTable *self, JsonObject *entry)
{
	return g_hash_table_lookup(self->by_entry, entry);
}

/**
 * wf_knowledge_table_dup_entry_sources:
 * @self: a #WfKnowledgeTable
 * @entry: one of its entries
 *
 * Resolves the entry's source tags against its file's "sources" map, for
 * showing where a meaning comes from.
 *
 * Returns: (transfer full): an array of {"tag", "detail"?, "title", "url"?}
 */
JsonArray *
wf_knowledge_table_dup_entry_sources(WfKnowledgeTable *self, JsonObject *entry)
{
	WfKnowledgeItem *item;
	JsonArray *tags;
	JsonArray *result;

	g_return_val_if_fail(WF_IS_KNOWLEDGE_TABLE(self), NULL);
	g_return_val_if_fail(entry != NULL, NULL);

	result = json_array_new();
	item = wf_knowledge_table_find_item(self, entry);
	if (item == NULL)
		return result;
	tags = json_object_get_array_member(entry, "sources");
	for (guint i = 0; i < json_array_get_length(tags); i++) {
		const gchar *text = json_array_get_string_element(tags, i);
		const gchar *colon = strchr(text, ':');
		g_autofree gchar *tag = wf_knowledge_source_tag(text);
		JsonObject *src = json_object_get_object_member(item->sources, tag);
		JsonObject *obj = json_object_new();
		const gchar *url = wf_knowledge_entry_get_string(src, "url");

		json_object_set_string_member(obj, "tag", tag);
		if (colon != NULL) {
			g_autofree gchar *detail = g_strstrip(g_strdup(colon + 1));
			json_object_set_string_member(obj, "detail", detail);
		}
		json_object_set_string_member(
			obj, "title", wf_knowledge_entry_get_string(src, "title"));
		if (url != NULL)
			json_object_set_string_member(obj, "url", url);
		json_array_add_object_element(result, obj);
	}
	return result;
}
