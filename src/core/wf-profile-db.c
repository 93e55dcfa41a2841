/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-profile-db.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wf-error.h"

struct _WfProfileDb {
	GObject parent_instance;
	GPtrArray *entries[WF_PROFILE_KIND_LAST]; /* WfProfileEntry, load order */
	GPtrArray *problems;			  /* WfProfileProblem */
	GPtrArray *files;			  /* gchar*, files that loaded */
	WfKnowledgeTable *components;		  /* nullable */
};

G_DEFINE_FINAL_TYPE(WfProfileDb, wf_profile_db, G_TYPE_OBJECT)

static const gchar *wf_source_members[] = {"title", "url", "commit", "ref"};

static void
wf_profile_db_finalize(GObject *object)
{
	WfProfileDb *self = WF_PROFILE_DB(object);
	for (guint i = 0; i < WF_PROFILE_KIND_LAST; i++)
		g_ptr_array_unref(self->entries[i]);
	g_ptr_array_unref(self->problems);
	g_ptr_array_unref(self->files);
	g_clear_object(&self->components);
	G_OBJECT_CLASS(wf_profile_db_parent_class)->finalize(object);
}

static void
wf_profile_db_class_init(WfProfileDbClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_profile_db_finalize;
}

static void
wf_profile_db_init(WfProfileDb *self)
{
	for (guint i = 0; i < WF_PROFILE_KIND_LAST; i++)
		self->entries[i] =
			g_ptr_array_new_with_free_func((GDestroyNotify)wf_profile_entry_free);
	self->problems = g_ptr_array_new_with_free_func((GDestroyNotify)wf_profile_problem_free);
	self->files = g_ptr_array_new_with_free_func(g_free);
}

/**
 * wf_profile_db_new:
 *
 * Returns: (transfer full): an empty database; load files into it
 */
WfProfileDb *
wf_profile_db_new(void)
{
	return g_object_new(WF_TYPE_PROFILE_DB, NULL);
}

/**
 * wf_profile_db_get_shipped_dir:
 *
 * Tests and uninstalled runs point `WF_PROFILES_DIR` at data/profiles.
 *
 * Returns: (transfer full): the folder of the shipped profiles
 */
gchar *
wf_profile_db_get_shipped_dir(void)
{
	const gchar *env = g_getenv("WF_PROFILES_DIR");
	if (env != NULL && env[0] != '\0')
		return g_strdup(env);
	return g_build_filename(PKGDATADIR, "profiles", NULL);
}

/**
 * wf_profile_db_get_user_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/wristflash/profiles`
 */
gchar *
wf_profile_db_get_user_dir(void)
{
	return g_build_filename(g_get_user_data_dir(), "wristflash", "profiles", NULL);
}

/**
 * wf_profile_db_set_components:
 * @self: a #WfProfileDb
 * @components: (nullable): the "components" knowledge table (data/components)
 *
 * With a table, wf_profile_db_check_references() also checks that every
 * token an entry names is one the table explains.
 */
void
wf_profile_db_set_components(WfProfileDb *self, WfKnowledgeTable *components)
{
	g_return_if_fail(WF_IS_PROFILE_DB(self));
	g_return_if_fail(components == NULL || WF_IS_KNOWLEDGE_TABLE(components));
	g_set_object(&self->components, components);
}

/**
 * wf_profile_db_get_components:
 *
 * Returns: (transfer none) (nullable): the components table
 */
WfKnowledgeTable *
wf_profile_db_get_components(WfProfileDb *self)
{
	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	return self->components;
}

static void
wf_profile_db_add_problem(WfProfileDb *self,
			  const gchar *file,
			  const gchar *entry,
			  const gchar *field,
			  gboolean user,
			  const gchar *message)
{
	g_ptr_array_add(self->problems, wf_profile_problem_new(file, entry, field, user, message));
}

/* ---- one file ---------------------------------------------------------------------------- */

typedef struct {
	const gchar *file;
	gboolean user;
	GPtrArray *problems; /* of this file */
} WfFileCtx;

static void
wf_file_problem(WfFileCtx *ctx, const gchar *field, const gchar *message)
{
	g_ptr_array_add(ctx->problems,
			wf_profile_problem_new(ctx->file, NULL, field, ctx->user, message));
}

static void
wf_profile_db_check_sources(WfFileCtx *ctx, JsonNode *node)
{
	g_autoptr(GList) tags = NULL;
	JsonObject *sources;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		wf_file_problem(ctx, "sources", "must be an object of TAG: {\"title\": …}");
		return;
	}
	sources = json_node_get_object(node);
	tags = json_object_get_members(sources);
	for (GList *l = tags; l != NULL; l = l->next) {
		JsonNode *source = json_object_get_member(sources, l->data);
		g_autofree gchar *where = g_strdup_printf("sources.%s", (const gchar *)l->data);
		g_autoptr(GList) members = NULL;
		JsonObject *obj;

		if (!JSON_NODE_HOLDS_OBJECT(source)) {
			wf_file_problem(ctx, where, "must be an object with a \"title\"");
			continue;
		}
		obj = json_node_get_object(source);
		members = json_object_get_members(obj);
		for (GList *m = members; m != NULL; m = m->next) {
			JsonNode *value = json_object_get_member(obj, m->data);
			g_autofree gchar *field =
				g_strdup_printf("%s.%s", where, (const gchar *)m->data);
			if (!g_strv_contains(wf_source_members, m->data)) {
				wf_file_problem(ctx, field, "unknown field (typo?)");
				continue;
			}
			if (!JSON_NODE_HOLDS_VALUE(value) ||
			    json_node_get_value_type(value) != G_TYPE_STRING ||
			    json_node_get_string(value)[0] == '\0')
				wf_file_problem(ctx, field, "must be a non-empty string");
		}
		if (!json_object_has_member(obj, "title")) {
			g_autofree gchar *field = g_strdup_printf("%s.title", where);
			wf_file_problem(ctx, field, "is required");
		}
	}
}

static void
wf_profile_db_parse_section(WfFileCtx *ctx,
			    WfProfileKind kind,
			    JsonNode *node,
			    JsonObject *file_sources,
			    GPtrArray *out)
{
	const gchar *section = wf_profile_kind_to_section(kind);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	JsonArray *array;

	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		wf_file_problem(ctx, section, "must be an array of entries");
		return;
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);
		WfProfileEntry *entry;

		if (!JSON_NODE_HOLDS_OBJECT(element)) {
			g_autofree gchar *label = g_strdup_printf("%s[%u]", section, i);
			g_ptr_array_add(
				ctx->problems,
				wf_profile_problem_new(
					ctx->file, label, NULL, ctx->user, "must be an object"));
			continue;
		}
		entry = wf_profile_entry_parse(kind,
					       json_node_get_object(element),
					       ctx->file,
					       ctx->user,
					       i,
					       file_sources,
					       ctx->problems);
		if (entry == NULL)
			continue;
		if (g_hash_table_contains(seen, entry->id)) {
			g_autofree gchar *label =
				g_strdup_printf("%s[%u] (%s)", section, i, entry->id);
			g_ptr_array_add(
				ctx->problems,
				wf_profile_problem_new(ctx->file,
						       label,
						       "id",
						       ctx->user,
						       "the id is used twice in this file"));
			wf_profile_entry_free(entry);
			continue;
		}
		g_hash_table_add(seen, entry->id);
		g_ptr_array_add(out, entry);
	}
}

static GPtrArray *
wf_profile_db_parse_root(WfFileCtx *ctx, JsonNode *root)
{
	g_autoptr(GPtrArray) entries =
		g_ptr_array_new_with_free_func((GDestroyNotify)wf_profile_entry_free);
	g_autoptr(GList) members = NULL;
	JsonObject *file_sources = NULL;
	JsonNode *version;
	JsonObject *obj;

	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		wf_file_problem(ctx, NULL, "is not a JSON object");
		return NULL;
	}
	obj = json_node_get_object(root);
	version = json_object_get_member(obj, "schema_version");
	if (version == NULL) {
		wf_file_problem(ctx, "schema_version", "is required");
		return NULL;
	}
	if (!JSON_NODE_HOLDS_VALUE(version) || json_node_get_value_type(version) != G_TYPE_INT64) {
		wf_file_problem(ctx, "schema_version", "must be an integer");
		return NULL;
	}
	if (json_node_get_int(version) != WF_PROFILE_SCHEMA_VERSION) {
		g_autofree gchar *msg = g_strdup_printf(
			"is %" G_GINT64_FORMAT "; this version of Wristflash reads schema %d",
			json_node_get_int(version),
			WF_PROFILE_SCHEMA_VERSION);
		wf_file_problem(ctx, "schema_version", msg);
		return NULL;
	}
	if (json_object_has_member(obj, "sources")) {
		JsonNode *node = json_object_get_member(obj, "sources");
		wf_profile_db_check_sources(ctx, node);
		if (JSON_NODE_HOLDS_OBJECT(node))
			file_sources = json_node_get_object(node);
	}
	members = json_object_get_members(obj);
	for (GList *m = members; m != NULL; m = m->next) {
		const gchar *name = m->data;
		JsonNode *node = json_object_get_member(obj, name);
		WfProfileKind kind;

		if (g_strcmp0(name, "schema_version") == 0 || g_strcmp0(name, "sources") == 0)
			continue;
		if (g_strcmp0(name, "description") == 0) {
			if (!JSON_NODE_HOLDS_VALUE(node) ||
			    json_node_get_value_type(node) != G_TYPE_STRING)
				wf_file_problem(ctx, name, "must be a string");
			continue;
		}
		if (!wf_profile_kind_from_section(name, &kind)) {
			wf_file_problem(ctx,
					name,
					"unknown section (expected socs, flash_parts, "
					"lcd_controllers, touch_controllers or models)");
			continue;
		}
		wf_profile_db_parse_section(ctx, kind, node, file_sources, entries);
	}
	if (ctx->problems->len > 0)
		return NULL;
	return g_steal_pointer(&entries);
}

static GPtrArray *
wf_profile_db_find_array(WfProfileDb *self, WfProfileEntry *entry, guint *idx)
{
	GPtrArray *array = self->entries[entry->kind];
	for (guint i = 0; i < array->len; i++) {
		WfProfileEntry *old = g_ptr_array_index(array, i);
		if (g_strcmp0(old->id, entry->id) == 0) {
			*idx = i;
			return array;
		}
	}
	return NULL;
}

/* adds the entries of a valid file: new ids extend, a user entry replaces a
 * shipped one of the same id in place; any other clash keeps the first */
static void
wf_profile_db_merge(WfProfileDb *self, GPtrArray *entries)
{
	for (guint i = 0; i < entries->len; i++) {
		WfProfileEntry *entry = g_ptr_array_steal_index(entries, i--);
		GPtrArray *array;
		WfProfileEntry *old;
		guint idx = 0;

		array = wf_profile_db_find_array(self, entry, &idx);
		if (array == NULL) {
			g_ptr_array_add(self->entries[entry->kind], entry);
			continue;
		}
		old = g_ptr_array_index(array, idx);
		if (entry->user && !old->user) {
			entry->overrides = g_strdup(old->file);
			array->pdata[idx] = entry;
			wf_profile_entry_free(old);
			continue;
		}
		{
			g_autofree gchar *label = g_strdup_printf(
				"%s (%s)", wf_profile_kind_to_section(entry->kind), entry->id);
			g_autofree gchar *msg = g_strdup_printf(
				"the id is already defined in %s; this entry is ignored",
				old->file);
			wf_profile_db_add_problem(self, entry->file, label, "id", entry->user, msg);
		}
		wf_profile_entry_free(entry);
	}
}

static void
wf_profile_db_set_file_error(GError **error, GPtrArray *problems)
{
	g_autofree gchar *first = wf_profile_problem_to_string(g_ptr_array_index(problems, 0));
	if (problems->len == 1)
		g_set_error_literal(error, WF_ERROR, WF_ERROR_INVALID_FILE, first);
	else
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_FILE,
			    "%s (and %u more problems)",
			    first,
			    problems->len - 1);
}

/**
 * wf_profile_db_load_file:
 * @self: a #WfProfileDb
 * @filename: a profile JSON file
 * @user: %TRUE for the user's own files (they may replace shipped entries)
 * @error: (nullable): return location
 *
 * Validates the whole file and adds its entries only if it has no problem.
 * Every problem found is also added to wf_profile_db_get_problems().
 *
 * Returns: %TRUE if the file loaded
 */
gboolean
wf_profile_db_load_file(WfProfileDb *self, const gchar *filename, gboolean user, GError **error)
{
	g_autoptr(GPtrArray) problems =
		g_ptr_array_new_with_free_func((GDestroyNotify)wf_profile_problem_free);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *data = NULL;
	WfFileCtx ctx = {filename, user, problems};
	gsize len = 0;
	GStatBuf st;

	g_return_val_if_fail(WF_IS_PROFILE_DB(self), FALSE);
	g_return_val_if_fail(filename != NULL, FALSE);

	if (g_stat(filename, &st) == 0 && st.st_size > WF_PROFILE_DB_MAX_FILE_SIZE) {
		wf_file_problem(&ctx, NULL, "is too large to be a profile file");
	} else if (!g_file_get_contents(filename, &data, &len, &error_local)) {
		wf_file_problem(&ctx, NULL, error_local->message);
	} else if (!json_parser_load_from_data(parser, data, (gssize)len, &error_local)) {
		g_autofree gchar *msg =
			g_strdup_printf("is not valid JSON: %s", error_local->message);
		wf_file_problem(&ctx, NULL, msg);
	} else {
		entries = wf_profile_db_parse_root(&ctx, json_parser_get_root(parser));
	}
	if (entries == NULL) {
		wf_profile_db_set_file_error(error, problems);
		for (guint i = 0; i < problems->len; i++)
			g_ptr_array_add(self->problems, g_ptr_array_steal_index(problems, i--));
		return FALSE;
	}
	wf_profile_db_merge(self, entries);
	g_ptr_array_add(self->files, g_strdup(filename));
	return TRUE;
}

static gint
wf_profile_db_compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * wf_profile_db_load_dir:
 * @self: a #WfProfileDb
 * @dirname: a folder of *.json profile files
 * @user: %TRUE for the user's folder
 * @error: (nullable): return location
 *
 * Loads every *.json file in name order. A bad file is a problem, not an
 * error: the others still load. A missing user folder is not an error.
 *
 * Returns: %FALSE only if the folder cannot be read
 */
gboolean
wf_profile_db_load_dir(WfProfileDb *self, const gchar *dirname, gboolean user, GError **error)
{
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error_local = NULL;
	const gchar *name;

	g_return_val_if_fail(WF_IS_PROFILE_DB(self), FALSE);
	g_return_val_if_fail(dirname != NULL, FALSE);

	dir = g_dir_open(dirname, 0, &error_local);
	if (dir == NULL) {
		if (user && g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return TRUE;
		g_set_error(error,
			    WF_ERROR,
			    g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
				    ? WF_ERROR_NOT_FOUND
				    : WF_ERROR_READ,
			    "cannot read the profile folder: %s",
			    error_local->message);
		return FALSE;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (g_str_has_suffix(name, ".json") && name[0] != '.')
			g_ptr_array_add(names, g_build_filename(dirname, name, NULL));
	}
	g_ptr_array_sort(names, wf_profile_db_compare_names);
	for (guint i = 0; i < names->len; i++)
		wf_profile_db_load_file(self, g_ptr_array_index(names, i), user, NULL);
	return TRUE;
}

/* ---- references -------------------------------------------------------------------------- */

static gchar *
wf_profile_db_label(const WfProfileEntry *entry)
{
	return g_strdup_printf("%s (%s)", wf_profile_kind_to_section(entry->kind), entry->id);
}

static guint
wf_profile_db_check_ids(WfProfileDb *self,
			const WfProfileEntry *entry,
			const gchar *field,
			GPtrArray *ids,
			WfProfileKind kind)
{
	guint n = 0;
	for (guint i = 0; i < ids->len; i++) {
		const gchar *id = g_ptr_array_index(ids, i);
		g_autofree gchar *label = NULL;
		g_autofree gchar *msg = NULL;
		if (wf_profile_db_lookup(self, kind, id) != NULL)
			continue;
		label = wf_profile_db_label(entry);
		msg = g_strdup_printf("no %s has the id ‘%s’", wf_profile_kind_to_string(kind), id);
		wf_profile_db_add_problem(self, entry->file, label, field, entry->user, msg);
		n++;
	}
	return n;
}

/* the token must be a key of data/components with one of @categories */
static guint
wf_profile_db_check_tokens(WfProfileDb *self,
			   const WfProfileEntry *entry,
			   const gchar *field,
			   GPtrArray *tokens,
			   const gchar *const *categories)
{
	guint n = 0;
	for (guint i = 0; i < tokens->len; i++) {
		const gchar *token = g_ptr_array_index(tokens, i);
		JsonObject *known = wf_knowledge_table_lookup_exact(self->components, token);
		const gchar *category =
			known != NULL ? wf_knowledge_entry_get_string(known, "category") : NULL;
		g_autofree gchar *label = NULL;
		g_autofree gchar *msg = NULL;

		if (known != NULL && g_strv_contains(categories, category))
			continue;
		label = wf_profile_db_label(entry);
		if (known == NULL)
			msg = g_strdup_printf("token ‘%s’ is not in the components table "
					      "(data/components): add its meaning there first",
					      token);
		else
			msg = g_strdup_printf("token ‘%s’ is a %s token in the components table",
					      token,
					      category);
		wf_profile_db_add_problem(self, entry->file, label, field, entry->user, msg);
		n++;
	}
	return n;
}

static guint
wf_profile_db_check_model(WfProfileDb *self, const WfProfileModel *model)
{
	const WfProfileEntry *entry = &model->entry;
	const gchar *panel[] = {"panel", NULL};
	const gchar *names[] = {"model", "board", "module", NULL};
	guint n = 0;

	n += wf_profile_db_check_ids(self, entry, "socs", model->socs, WF_PROFILE_KIND_SOC);
	n += wf_profile_db_check_ids(
		self, entry, "flash_parts", model->flash_parts, WF_PROFILE_KIND_FLASH_PART);
	n += wf_profile_db_check_ids(self, entry, "lcd", model->lcd, WF_PROFILE_KIND_LCD);
	n += wf_profile_db_check_ids(self, entry, "touch", model->touch, WF_PROFILE_KIND_TOUCH);
	if (self->components != NULL) {
		n += wf_profile_db_check_tokens(
			self, entry, "panel_tokens", model->panel_tokens, panel);
		n += wf_profile_db_check_tokens(
			self, entry, "model_tokens", model->model_tokens, names);
	}
	return n;
}

static guint
wf_profile_db_check_controllers(WfProfileDb *self, WfProfileKind kind)
{
	GPtrArray *entries = self->entries[kind];
	const gchar *categories[] = {kind == WF_PROFILE_KIND_LCD ? "lcd" : "touch", NULL};
	g_autoptr(GHashTable) owners = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint n = 0;

	for (guint i = 0; i < entries->len; i++) {
		WfProfileController *c = g_ptr_array_index(entries, i);
		if (self->components != NULL)
			n += wf_profile_db_check_tokens(
				self, &c->entry, "tokens", c->tokens, categories);
		/* a token must name one controller, or matching is ambiguous */
		for (guint k = 0; k < c->tokens->len; k++) {
			g_autofree gchar *key = g_ascii_strup(g_ptr_array_index(c->tokens, k), -1);
			WfProfileController *other = g_hash_table_lookup(owners, key);
			if (other != NULL) {
				g_autofree gchar *label = wf_profile_db_label(&c->entry);
				g_autofree gchar *msg = g_strdup_printf(
					"token ‘%s’ already names %s", key, other->entry.id);
				wf_profile_db_add_problem(
					self, c->entry.file, label, "tokens", c->entry.user, msg);
				n++;
				continue;
			}
			g_hash_table_insert(owners, g_steal_pointer(&key), c);
		}
	}
	return n;
}

static guint
wf_profile_db_check_flash_ids(WfProfileDb *self)
{
	GPtrArray *entries = self->entries[WF_PROFILE_KIND_FLASH_PART];
	guint n = 0;

	for (guint i = 0; i < entries->len; i++) {
		WfProfileFlashPart *part = g_ptr_array_index(entries, i);
		if (part->jedec < 0)
			continue;
		for (guint k = 0; k < i; k++) {
			WfProfileFlashPart *other = g_ptr_array_index(entries, k);
			g_autofree gchar *label = NULL;
			g_autofree gchar *msg = NULL;
			if (other->jedec != part->jedec)
				continue;
			label = wf_profile_db_label(&part->entry);
			msg = g_strdup_printf("the same JEDEC id as %s", other->entry.id);
			wf_profile_db_add_problem(
				self, part->entry.file, label, "jedec_id", part->entry.user, msg);
			n++;
		}
	}
	return n;
}

/**
 * wf_profile_db_check_references:
 * @self: a #WfProfileDb
 *
 * Checks what single files cannot: that models name existing SoCs, flash
 * parts and controllers; that no two flash parts share a JEDEC id and no
 * token names two controllers; and, with a components table, that every
 * token is explained there with the right category. Entries stay loaded;
 * the problems are listed. Call it once after loading.
 *
 * Returns: the number of problems added
 */
guint
wf_profile_db_check_references(WfProfileDb *self)
{
	GPtrArray *models;
	guint n = 0;

	g_return_val_if_fail(WF_IS_PROFILE_DB(self), 0);
	models = self->entries[WF_PROFILE_KIND_MODEL];
	for (guint i = 0; i < models->len; i++)
		n += wf_profile_db_check_model(self, g_ptr_array_index(models, i));
	n += wf_profile_db_check_controllers(self, WF_PROFILE_KIND_LCD);
	n += wf_profile_db_check_controllers(self, WF_PROFILE_KIND_TOUCH);
	n += wf_profile_db_check_flash_ids(self);
	return n;
}

/**
 * wf_profile_db_load_default:
 * @self: a #WfProfileDb
 * @error: (nullable): return location
 *
 * Loads the components table (if none was set), the shipped profiles and
 * then the user's, and checks references. Problems with the user's files,
 * or with single shipped files, are listed, not fatal.
 *
 * Returns: %FALSE if no shipped profile could be loaded at all
 */
gboolean
wf_profile_db_load_default(WfProfileDb *self, GError **error)
{
	g_autofree gchar *shipped = wf_profile_db_get_shipped_dir();
	g_autofree gchar *user = wf_profile_db_get_user_dir();
	g_autoptr(GError) error_local = NULL;
	guint n_shipped = 0;

	g_return_val_if_fail(WF_IS_PROFILE_DB(self), FALSE);

	if (self->components == NULL) {
		g_autoptr(WfKnowledgeTable) table =
			wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_COMPONENTS);
		if (wf_knowledge_table_load_default(table, &error_local)) {
			self->components = g_steal_pointer(&table);
		} else {
			g_autofree gchar *dir = wf_knowledge_table_get_data_dir();
			g_autofree gchar *msg = g_strdup_printf(
				"the components table did not load, tokens are not checked: %s",
				error_local->message);
			wf_profile_db_add_problem(self, dir, NULL, NULL, FALSE, msg);
			g_clear_error(&error_local);
		}
	}
	if (!wf_profile_db_load_dir(self, shipped, FALSE, error))
		return FALSE;
	for (guint i = 0; i < WF_PROFILE_KIND_LAST; i++)
		n_shipped += self->entries[i]->len;
	if (n_shipped == 0) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_NOT_FOUND,
			    "no device profile could be loaded from %s",
			    shipped);
		return FALSE;
	}
	if (!wf_profile_db_load_dir(self, user, TRUE, &error_local))
		wf_profile_db_add_problem(self, user, NULL, NULL, TRUE, error_local->message);
	wf_profile_db_check_references(self);
	return TRUE;
}

/* ---- queries ----------------------------------------------------------------------------- */

/**
 * wf_profile_db_get_problems:
 *
 * Returns: (transfer none) (element-type WfProfileProblem): everything wrong
 * with the files loaded so far
 */
GPtrArray *
wf_profile_db_get_problems(WfProfileDb *self)
{
	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	return self->problems;
}

/**
 * wf_profile_db_get_files:
 *
 * Returns: (transfer none) (element-type utf8): the files that loaded
 */
GPtrArray *
wf_profile_db_get_files(WfProfileDb *self)
{
	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	return self->files;
}

/**
 * wf_profile_db_get_entries:
 *
 * Returns: (transfer none) (element-type WfProfileEntry): the entries of
 * @kind, shipped first, in file order; cast to the kind's struct
 */
GPtrArray *
wf_profile_db_get_entries(WfProfileDb *self, WfProfileKind kind)
{
	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	g_return_val_if_fail(kind < WF_PROFILE_KIND_LAST, NULL);
	return self->entries[kind];
}

/**
 * wf_profile_db_lookup:
 *
 * Returns: (transfer none) (nullable): the entry of @kind with @id
 */
WfProfileEntry *
wf_profile_db_lookup(WfProfileDb *self, WfProfileKind kind, const gchar *id)
{
	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	g_return_val_if_fail(kind < WF_PROFILE_KIND_LAST, NULL);
	for (guint i = 0; id != NULL && i < self->entries[kind]->len; i++) {
		WfProfileEntry *entry = g_ptr_array_index(self->entries[kind], i);
		if (g_strcmp0(entry->id, id) == 0)
			return entry;
	}
	return NULL;
}

static gboolean
wf_profile_db_is_letters(const gchar *s)
{
	for (; *s != '\0'; s++) {
		if (!g_ascii_isalpha(*s))
			return FALSE;
	}
	return TRUE;
}

/**
 * wf_profile_db_find_soc:
 * @self: a #WfProfileDb
 * @name: a chip or platform name: "MT6261DA", "MT6260", "MT6261PRO"
 *
 * An exact name or alias wins; otherwise the longest name or alias that
 * @name starts with, followed only by letters (a package or tag suffix).
 *
 * Returns: (transfer none) (nullable): the SoC
 */
const WfProfileSoc *
wf_profile_db_find_soc(WfProfileDb *self, const gchar *name)
{
	GPtrArray *socs;
	const WfProfileSoc *best = NULL;
	gsize best_len = 0;

	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	if (name == NULL)
		return NULL;
	socs = self->entries[WF_PROFILE_KIND_SOC];
	for (guint i = 0; i < socs->len; i++) {
		const WfProfileSoc *soc = g_ptr_array_index(socs, i);
		if (wf_profile_soc_matches_name(soc, name))
			return soc;
	}
	for (guint i = 0; i < socs->len; i++) {
		const WfProfileSoc *soc = g_ptr_array_index(socs, i);
		for (guint k = 0; k <= soc->aliases->len; k++) {
			const gchar *candidate =
				k == 0 ? soc->name : g_ptr_array_index(soc->aliases, k - 1);
			gsize len = strlen(candidate);
			if (len > best_len && g_ascii_strncasecmp(name, candidate, len) == 0 &&
			    wf_profile_db_is_letters(name + len)) {
				best = soc;
				best_len = len;
			}
		}
	}
	return best;
}

static gboolean
wf_profile_hw_values_contain(GPtrArray *values, gint32 value)
{
	for (guint i = 0; value >= 0 && i < values->len; i++) {
		const WfProfileHwValue *v = g_ptr_array_index(values, i);
		if (v->value == value)
			return TRUE;
	}
	return FALSE;
}

/**
 * wf_profile_db_find_soc_for_ids:
 * @self: a #WfProfileDb
 * @hw_code: from 0x80000008
 * @hw_version: from 0x80000000, or %WF_PROFILE_UNKNOWN
 * @efuse_version: upper half of 0xA01C0108, or %WF_PROFILE_UNKNOWN
 *
 * Several SoCs can share a hw code (MT2503 reports 0x6261): a listed e-fuse
 * value decides, then a listed hw version; an e-fuse value the SoC does
 * not list counts against it. Ties go to the SoC listed first.
 *
 * Returns: (transfer none) (nullable): the SoC
 */
const WfProfileSoc *
wf_profile_db_find_soc_for_ids(WfProfileDb *self,
			       gint32 hw_code,
			       gint32 hw_version,
			       gint32 efuse_version)
{
	GPtrArray *socs;
	const WfProfileSoc *best = NULL;
	gint best_score = G_MININT;

	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	if (hw_code < 0)
		return NULL;
	socs = self->entries[WF_PROFILE_KIND_SOC];
	for (guint i = 0; i < socs->len; i++) {
		const WfProfileSoc *soc = g_ptr_array_index(socs, i);
		gint score = 0;
		if (soc->hw_code != hw_code)
			continue;
		if (wf_profile_hw_values_contain(soc->efuse_versions, efuse_version))
			score += 4;
		else if (efuse_version >= 0 && soc->efuse_versions->len > 0)
			score -= 3;
		if (wf_profile_hw_values_contain(soc->hw_versions, hw_version))
			score += 2;
		if (score > best_score) {
			best = soc;
			best_score = score;
		}
	}
	return best;
}

/**
 * wf_profile_db_find_flash_part:
 * @jedec: 0xC86017
 *
 * Returns: (transfer none) (nullable): the part with this JEDEC id
 */
const WfProfileFlashPart *
wf_profile_db_find_flash_part(WfProfileDb *self, gint64 jedec)
{
	GPtrArray *parts;
	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	parts = self->entries[WF_PROFILE_KIND_FLASH_PART];
	for (guint i = 0; jedec >= 0 && i < parts->len; i++) {
		const WfProfileFlashPart *part = g_ptr_array_index(parts, i);
		if (part->jedec == jedec)
			return part;
	}
	return NULL;
}

/**
 * wf_profile_db_find_controller:
 * @kind: %WF_PROFILE_KIND_LCD or %WF_PROFILE_KIND_TOUCH
 * @token: a VERNO token or driver name, e.g. "7789HSD", "FT6236"
 *
 * Returns: (transfer none) (nullable): the controller the token names
 */
const WfProfileController *
wf_profile_db_find_controller(WfProfileDb *self, WfProfileKind kind, const gchar *token)
{
	GPtrArray *entries;
	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	g_return_val_if_fail(kind == WF_PROFILE_KIND_LCD || kind == WF_PROFILE_KIND_TOUCH, NULL);
	entries = self->entries[kind];
	for (guint i = 0; token != NULL && i < entries->len; i++) {
		const WfProfileController *c = g_ptr_array_index(entries, i);
		if (wf_profile_controller_has_token(c, token))
			return c;
	}
	return NULL;
}

/**
 * wf_profile_db_to_json:
 *
 * Returns: (transfer full): {"schema_version", "files", "socs", "flash_parts",
 * "lcd_controllers", "touch_controllers", "models", "problems"}
 */
JsonNode *
wf_profile_db_to_json(WfProfileDb *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(WF_IS_PROFILE_DB(self), NULL);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "schema_version");
	json_builder_add_int_value(b, WF_PROFILE_SCHEMA_VERSION);
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->files->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(self->files, i));
	json_builder_end_array(b);
	for (guint k = 0; k < WF_PROFILE_KIND_LAST; k++) {
		json_builder_set_member_name(b, wf_profile_kind_to_section(k));
		json_builder_begin_array(b);
		for (guint i = 0; i < self->entries[k]->len; i++)
			json_builder_add_value(
				b,
				wf_profile_entry_to_json(g_ptr_array_index(self->entries[k], i)));
		json_builder_end_array(b);
	}
	json_builder_set_member_name(b, "problems");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->problems->len; i++)
		json_builder_add_value(
			b, wf_profile_problem_to_json(g_ptr_array_index(self->problems, i)));
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
