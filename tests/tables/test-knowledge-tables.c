/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-component-hints.h"
#include "wf-error.h"
#include "wf-knowledge-table.h"

/* categories the UI knows how to show; a new one needs a UI decision */
static const gchar *component_categories[] = {
	"lcd",	       "touch",		 "panel",     "region",	     "board",	   "model",
	"module",      "flash",		 "platform",  "maui-branch", "software",   "branch-tag",
	"build-type",  "chip-version",	 "hw-marker", "project",     "image-part", "file-extension",
	"vendor-code", "firmware-house", "vendor",    "customer",    NULL};

static const gchar *code_categories[] = {"info",
					 "engineering",
					 "factory",
					 "vendor",
					 "sim-lock",
					 "operator",
					 "settings",
					 "network-string",
					 NULL};

static gchar *
data_dir(const gchar *kind)
{
	g_autofree gchar *base = wf_knowledge_table_get_data_dir();
	return g_build_filename(base, kind, NULL);
}

static GPtrArray *
list_json(const gchar *dirname)
{
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	dir = g_dir_open(dirname, 0, &error);
	g_assert_no_error(error);
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (g_str_has_suffix(name, ".json"))
			g_ptr_array_add(files, g_build_filename(dirname, name, NULL));
	}
	return files;
}

static gboolean
str_in(const gchar *s, const gchar **list)
{
	return s != NULL && g_strv_contains(list, s);
}

/* checks the schema on the raw JSON, independently of the loader */
static guint
check_file_schema(const gchar *fn, const gchar *kind)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	JsonObject *root;
	JsonObject *sources;
	JsonArray *entries;
	g_autoptr(GList) tags = NULL;

	g_test_message("schema of %s", fn);
	g_assert_true(json_parser_load_from_file(parser, fn, &error));
	g_assert_no_error(error);
	root = json_node_get_object(json_parser_get_root(parser));
	g_assert_nonnull(root);
	g_assert_cmpint(json_object_get_int_member(root, "version"), ==, 1);
	g_assert_cmpstr(json_object_get_string_member(root, "kind"), ==, kind);
	g_assert_nonnull(json_object_get_string_member(root, "description"));

	sources = json_object_get_object_member(root, "sources");
	g_assert_nonnull(sources);
	tags = json_object_get_members(sources);
	g_assert_nonnull(tags);
	for (GList *l = tags; l != NULL; l = l->next) {
		JsonObject *src = json_object_get_object_member(sources, l->data);
		g_assert_nonnull(src);
		g_assert_cmpstr(json_object_get_string_member(src, "title"), !=, "");
	}

	entries = json_object_get_array_member(root, "entries");
	g_assert_cmpuint(json_array_get_length(entries), >, 0);
	for (guint i = 0; i < json_array_get_length(entries); i++) {
		JsonObject *entry = json_array_get_object_element(entries, i);
		JsonArray *esrc = json_object_get_array_member(entry, "sources");
		const gchar *confidence = json_object_get_string_member(entry, "confidence");

		g_assert_true(json_object_has_member(entry, "meaning"));
		g_assert_true(str_in(confidence, (const gchar *[]){"high", "medium", "low", NULL}));
		g_assert_cmpuint(json_array_get_length(esrc), >, 0);
		for (guint k = 0; k < json_array_get_length(esrc); k++) {
			const gchar *s = json_array_get_string_element(esrc, k);
			g_autofree gchar *tag = g_strndup(s, strcspn(s, ":"));
			g_assert_true(json_object_has_member(sources, tag));
		}
		if (g_strcmp0(kind, "codes") == 0) {
			g_assert_nonnull(json_object_get_string_member(entry, "code"));
			g_assert_true(str_in(json_object_get_string_member(entry, "category"),
					     code_categories));
		} else {
			g_assert_true(json_object_has_member(entry, "token") !=
				      json_object_has_member(entry, "pattern"));
			g_assert_true(str_in(json_object_get_string_member(entry, "category"),
					     component_categories));
			g_assert_true(json_object_has_member(entry, "part"));
		}
		/* a meaning may be unknown, but then a note or name must say why */
		if (json_object_get_null_member(entry, "meaning")) {
			g_assert_true(json_object_has_member(entry, "notes") ||
				      json_object_has_member(entry, "name"));
		}
	}
	return json_array_get_length(entries);
}

static void
check_kind(const gchar *kind)
{
	g_autofree gchar *dirname = data_dir(kind);
	g_autoptr(GPtrArray) files = list_json(dirname);
	g_autoptr(WfKnowledgeTable) all = wf_knowledge_table_new(kind);
	g_autoptr(GError) error = NULL;
	guint total = 0;

	g_assert_cmpuint(files->len, >, 0);
	for (guint i = 0; i < files->len; i++) {
		g_autoptr(WfKnowledgeTable) one = wf_knowledge_table_new(kind);
		guint n = check_file_schema(g_ptr_array_index(files, i), kind);
		g_assert_true(
			wf_knowledge_table_load_file(one, g_ptr_array_index(files, i), &error));
		g_assert_no_error(error);
		g_assert_cmpuint(wf_knowledge_table_get_entries(one)->len, ==, n);
		total += n;
	}
	/* together: no key is defined twice */
	g_assert_true(wf_knowledge_table_load_default(all, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_knowledge_table_get_entries(all)->len, ==, total);
	g_assert_cmpuint(wf_knowledge_table_get_files(all)->len, ==, files->len);
}

static void
test_knowledge_tables_schema_codes(void)
{
	check_kind(WF_KNOWLEDGE_TABLE_KIND_CODES);
}

static void
test_knowledge_tables_schema_components(void)
{
	check_kind(WF_KNOWLEDGE_TABLE_KIND_COMPONENTS);
}

/* every code of the testdata samples is in the table, under the same name */
static void
test_knowledge_tables_codes_cover_samples(void)
{
	const gchar *samples[] = {"maui_default_ssc_codes.tsv",
				  "maui_kb_mt6261_codes_cc0.tsv",
				  "dz09_watch_codes_from_blog.tsv"};
	g_autoptr(WfKnowledgeTable) table = wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_CODES);
	g_autoptr(GError) error = NULL;
	guint checked = 0;

	g_assert_true(wf_knowledge_table_load_default(table, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(samples); i++) {
		g_autofree gchar *fn =
			g_build_filename(g_getenv("WF_TESTDATA_DIR"), "codes", samples[i], NULL);
		g_autofree gchar *contents = NULL;
		g_auto(GStrv) lines = NULL;

		g_assert_true(g_file_get_contents(fn, &contents, NULL, &error));
		g_assert_no_error(error);
		lines = g_strsplit(contents, "\n", -1);
		for (guint k = 0; lines[k] != NULL; k++) {
			g_auto(GStrv) cols = g_strsplit(lines[k], "\t", -1);
			const gchar *code;
			JsonObject *entry;

			if (lines[k][0] == '#' || lines[k][0] == '\0')
				continue;
			/* the SDK table is "name<TAB>code<TAB>note", the others "code<TAB>…" */
			code = i == 0 ? cols[1] : cols[0];
			g_test_message("code %s", code);
			entry = wf_knowledge_table_lookup(table, code);
			g_assert_nonnull(entry);
			if (i == 0)
				g_assert_cmpstr(
					wf_knowledge_entry_get_string(entry, "name"), ==, cols[0]);
			else
				g_assert_nonnull(wf_knowledge_entry_get_string(entry, "meaning"));
			checked++;
		}
	}
	g_assert_cmpuint(checked, ==, 29 + 2 + 2);
	/* §3.5 false positives are listed too */
	g_assert_nonnull(wf_knowledge_table_lookup(table, "*99#"));
	g_assert_nonnull(wf_knowledge_table_lookup(table, "#73#"));
	/* codes match exactly */
	g_assert_null(wf_knowledge_table_lookup(table, "*#8375"));
}

/* the tokens of firmware-formats §3.3 and §5 the brief names */
static void
test_knowledge_tables_components_cover_notes(void)
{
	struct {
		const gchar *token;
		const gchar *category;
		const gchar *part;
		WfConfidence confidence;
	} expects[] = {
		{"7789HSD", "lcd", "ST7789", WF_CONFIDENCE_MEDIUM},
		{"9307HSD", "lcd", "GC9307/ILI9307-class", WF_CONFIDENCE_MEDIUM},
		{"9340", "lcd", "ILI9340", WF_CONFIDENCE_MEDIUM},
		{"CST016SE", "touch", "CST016SE", WF_CONFIDENCE_HIGH},
		{"FT6236", "touch", "FT6236", WF_CONFIDENCE_HIGH},
		{"IPS", "panel", "IPS", WF_CONFIDENCE_MEDIUM},
		{"EU", "region", "EU", WF_CONFIDENCE_LOW},
		{"COB", "board", "COB", WF_CONFIDENCE_LOW},
		{"6113", "touch", NULL, WF_CONFIDENCE_LOW},
		{"GL6113", "touch", NULL, WF_CONFIDENCE_LOW},
		{"6153", "touch", NULL, WF_CONFIDENCE_LOW},
		{"YDT6153", "touch", NULL, WF_CONFIDENCE_LOW},
		{"JJT", "vendor-code", NULL, WF_CONFIDENCE_LOW},
		{"YDT", "vendor-code", NULL, WF_CONFIDENCE_LOW},
		{"WKD", "vendor-code", NULL, WF_CONFIDENCE_LOW},
		{"GMSA", "vendor-code", NULL, WF_CONFIDENCE_LOW},
		{"JZTX", "vendor-code", NULL, WF_CONFIDENCE_LOW},
		{"HSJZ", "vendor-code", NULL, WF_CONFIDENCE_LOW},
		{"HYBR", "vendor-code", NULL, WF_CONFIDENCE_LOW},
		{"MJW", "vendor-code", NULL, WF_CONFIDENCE_LOW},
		{"MX6X", "firmware-house", NULL, WF_CONFIDENCE_LOW},
		{"mx6xd", "firmware-house", NULL, WF_CONFIDENCE_LOW},
		{"MX6XM", "firmware-house", NULL, WF_CONFIDENCE_LOW},
		{"ST7789", "lcd", "ST7789", WF_CONFIDENCE_HIGH},
		{"ILI9341", "lcd", "ILI9341", WF_CONFIDENCE_HIGH},
		{"GC9A01", "lcd", "GC9A01", WF_CONFIDENCE_HIGH},
		{"CST816", "touch", "CST816", WF_CONFIDENCE_MEDIUM},
		{"BL6133", "touch", "BL6133", WF_CONFIDENCE_MEDIUM},
		{"MSG2133", "touch", "MSG2133", WF_CONFIDENCE_MEDIUM},
		{"IT7259", "touch", "IT7259", WF_CONFIDENCE_MEDIUM},
		{"GD25LQ64", "flash", "GD25LQ64", WF_CONFIDENCE_HIGH},
		/* patterns, case-insensitive */
		{"MT6261DA", "platform", "MT6261", WF_CONFIDENCE_HIGH},
		{"mt6260a", "platform", "MT6260", WF_CONFIDENCE_HIGH},
		{"PCB02", "board", NULL, WF_CONFIDENCE_HIGH},
	};
	g_autoptr(WfKnowledgeTable) table =
		wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_COMPONENTS);
	g_autoptr(GError) error = NULL;
	const gchar *drivers[] = {
		"ST7789", "ILI9341", "GC9A01", "FT6236", "CST816", "BL6133", "MSG2133", "IT7259"};
	GPtrArray *entries;
	guint ndrivers = 0;

	g_assert_true(wf_knowledge_table_load_default(table, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(expects); i++) {
		JsonObject *entry = wf_knowledge_table_lookup(table, expects[i].token);
		g_test_message("token %s", expects[i].token);
		g_assert_nonnull(entry);
		g_assert_cmpstr(
			wf_knowledge_entry_get_string(entry, "category"), ==, expects[i].category);
		g_assert_cmpstr(wf_knowledge_entry_get_string(entry, "part"), ==, expects[i].part);
		g_assert_cmpint(
			wf_knowledge_entry_get_confidence(entry), ==, expects[i].confidence);
	}
	g_assert_null(wf_knowledge_table_lookup(table, "NOSUCHTOKEN"));
	g_assert_null(wf_knowledge_table_lookup_exact(table, "MT6261DA"));

	/* every driver name of §3.4 is searched for in images */
	entries = wf_knowledge_table_get_entries(table);
	for (guint i = 0; i < entries->len; i++) {
		JsonObject *entry = g_ptr_array_index(entries, i);
		JsonArray *names;
		if (!json_object_has_member(entry, "image_strings"))
			continue;
		names = json_object_get_array_member(entry, "image_strings");
		for (guint k = 0; k < json_array_get_length(names); k++) {
			const gchar *name = json_array_get_string_element(names, k);
			for (guint d = 0; d < G_N_ELEMENTS(drivers); d++)
				ndrivers += g_strcmp0(name, drivers[d]) == 0;
		}
	}
	g_assert_cmpuint(ndrivers, ==, G_N_ELEMENTS(drivers));
}

/* every example string of an entry decodes to a token from that entry */
static void
test_knowledge_tables_examples_decode(void)
{
	g_autoptr(WfKnowledgeTable) table =
		wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_COMPONENTS);
	g_autoptr(GError) error = NULL;
	GPtrArray *entries;
	guint checked = 0;

	g_assert_true(wf_knowledge_table_load_default(table, &error));
	g_assert_no_error(error);
	entries = wf_knowledge_table_get_entries(table);
	for (guint i = 0; i < entries->len; i++) {
		JsonObject *entry = g_ptr_array_index(entries, i);
		JsonArray *examples;
		if (!json_object_has_member(entry, "examples"))
			continue;
		examples = json_object_get_array_member(entry, "examples");
		for (guint k = 0; k < json_array_get_length(examples); k++) {
			g_autoptr(WfComponentHints) hints = wf_component_hints_new(table);
			const gchar *example = json_array_get_string_element(examples, k);
			GPtrArray *tokens;
			gboolean found = FALSE;

			g_test_message("example %s", example);
			wf_component_hints_add_string(hints, "example", example);
			tokens = wf_component_hints_get_tokens(hints);
			for (guint t = 0; t < tokens->len; t++) {
				const WfComponentToken *token = g_ptr_array_index(tokens, t);
				found |= token->entry == entry;
			}
			g_assert_true(found);
			checked++;
		}
	}
	g_assert_cmpuint(checked, >, 20);
}

static void
test_knowledge_tables_sources(void)
{
	g_autoptr(WfKnowledgeTable) table = wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_CODES);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) sources = NULL;
	JsonObject *entry;
	JsonObject *first;

	g_assert_true(wf_knowledge_table_load_default(table, &error));
	g_assert_no_error(error);
	entry = wf_knowledge_table_lookup(table, "*#8375#");
	sources = wf_knowledge_table_dup_entry_sources(table, entry);
	g_assert_cmpuint(json_array_get_length(sources), ==, 2);
	first = json_array_get_object_element(sources, 0);
	g_assert_cmpstr(json_object_get_string_member(first, "tag"), ==, "SDK");
	g_assert_cmpstr(
		json_object_get_string_member(first, "detail"), ==, "CustResDef.h SSC_SW_VERSION");
	g_assert_nonnull(strstr(json_object_get_string_member(first, "title"), "MAUI 11C"));
	g_assert_false(json_object_has_member(json_array_get_object_element(sources, 1), "detail"));
}

static void
test_knowledge_tables_data_dir(void)
{
	g_autofree gchar *saved = g_strdup(g_getenv("WF_DATA_DIR"));
	g_autofree gchar *dir1 = NULL;
	g_autofree gchar *dir2 = NULL;

	g_setenv("WF_DATA_DIR", "/nonexistent/wf", TRUE);
	dir1 = wf_knowledge_table_get_data_dir();
	g_assert_cmpstr(dir1, ==, "/nonexistent/wf");
	{
		g_autoptr(WfKnowledgeTable) table =
			wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_CODES);
		g_autoptr(GError) error = NULL;
		g_assert_false(wf_knowledge_table_load_default(table, &error));
		g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	}
	g_unsetenv("WF_DATA_DIR");
	dir2 = wf_knowledge_table_get_data_dir();
	g_assert_cmpstr(dir2, ==, PKGDATADIR);
	g_setenv("WF_DATA_DIR", saved, TRUE);
}

typedef struct {
	const gchar *name;
	const gchar *json;
	gint code;
} WfBadFile;

static void
test_knowledge_tables_invalid(void)
{
	const gchar *good_src = "\"sources\": {\"S\": {\"title\": \"t\"}}";
	g_autofree gchar *tmp = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(WfKnowledgeTable) table =
		wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_COMPONENTS);
	const WfBadFile bad[] = {
		{"not-json", "{\"version\": 1,", -1},
		{"array", "[]", WF_ERROR_INVALID_FILE},
		{"version-2",
		 "{\"version\": 2, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"wrong-kind",
		 "{\"version\": 1, \"kind\": \"codes\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"no-entries",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": []}",
		 WF_ERROR_INVALID_FILE},
		{"no-sources-map",
		 "{\"version\": 1, \"kind\": \"components\", \"sources\": {}, \"entries\": "
		 "[{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"no-meaning",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"confidence\": \"low\", \"sources\": [\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"bad-confidence",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"sure\", \"sources\": "
		 "[\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"unknown-source-tag",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[\"T: x\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"empty-sources",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[]}]}",
		 WF_ERROR_INVALID_FILE},
		{"no-category",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"meaning\": null, \"confidence\": \"low\", \"sources\": [\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"token-and-pattern",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"pattern\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"bad-pattern",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"pattern\": "
		 "\"(A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"meaning-number",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": 3, \"confidence\": \"low\", \"sources\": "
		 "[\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"image-strings-not-strings",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[\"S\"], "
		 "\"image_strings\": [1]}]}",
		 WF_ERROR_INVALID_FILE},
		{"key-with-space",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A "
		 "B\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
		{"duplicate",
		 "{\"version\": 1, \"kind\": \"components\", %s, \"entries\": [{\"token\": \"A\", "
		 "\"category\": \"lcd\", \"meaning\": null, \"confidence\": \"low\", \"sources\": "
		 "[\"S\"]}, "
		 "{\"token\": \"a\", \"category\": \"lcd\", \"meaning\": null, \"confidence\": "
		 "\"low\", "
		 "\"sources\": [\"S\"]}]}",
		 WF_ERROR_INVALID_FILE},
	};
	g_autofree gchar *good = NULL;
	g_autofree gchar *good_fn = NULL;

	tmp = g_dir_make_tmp("wf-tables-XXXXXX", &error);
	g_assert_no_error(error);

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree gchar *fn = g_strdup_printf("%s/%s.json", tmp, bad[i].name);
		g_autofree gchar *text = NULL;
		g_autoptr(GError) error_local = NULL;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		text = g_strdup_printf(bad[i].json, good_src);
#pragma GCC diagnostic pop
		g_assert_true(g_file_set_contents(fn, text, -1, &error_local));
		g_test_message("bad file %s", bad[i].name);
		g_assert_false(wf_knowledge_table_load_file(table, fn, &error_local));
		g_assert_nonnull(error_local);
		if (bad[i].code >= 0)
			g_assert_error(error_local, WF_ERROR, bad[i].code);
		/* the message names the file */
		g_assert_nonnull(strstr(error_local->message, bad[i].name));
		g_unlink(fn);
	}
	/* nothing of the bad files went in */
	g_assert_cmpuint(wf_knowledge_table_get_entries(table)->len, ==, 0);

	/* a good file loads; the same key from a second file is refused */
	good = g_strdup_printf("{\"version\": 1, \"kind\": \"components\", %s, \"entries\": "
			       "[{\"token\": \"A\", \"category\": \"lcd\", \"meaning\": null, "
			       "\"confidence\": \"low\", \"sources\": [\"S\"], \"notes\": \"n\"}]}",
			       good_src);
	good_fn = g_build_filename(tmp, "a.json", NULL);
	g_assert_true(g_file_set_contents(good_fn, good, -1, &error));
	g_assert_true(wf_knowledge_table_load_file(table, good_fn, &error));
	g_assert_no_error(error);
	g_assert_nonnull(wf_knowledge_table_lookup(table, "a"));
	g_assert_false(wf_knowledge_table_load_file(table, good_fn, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_nonnull(strstr(error->message, "defined twice"));
	g_clear_error(&error);
	g_assert_cmpuint(wf_knowledge_table_get_entries(table)->len, ==, 1);

	/* an empty directory */
	g_unlink(good_fn);
	{
		g_autoptr(WfKnowledgeTable) empty =
			wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_CODES);
		g_assert_false(wf_knowledge_table_load_dir(empty, tmp, &error));
		g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	}
	g_rmdir(tmp);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/knowledge-tables/schema-codes", test_knowledge_tables_schema_codes);
	g_test_add_func("/knowledge-tables/schema-components",
			test_knowledge_tables_schema_components);
	g_test_add_func("/knowledge-tables/codes-cover-samples",
			test_knowledge_tables_codes_cover_samples);
	g_test_add_func("/knowledge-tables/components-cover-notes",
			test_knowledge_tables_components_cover_notes);
	g_test_add_func("/knowledge-tables/examples-decode", test_knowledge_tables_examples_decode);
	g_test_add_func("/knowledge-tables/sources", test_knowledge_tables_sources);
	g_test_add_func("/knowledge-tables/data-dir", test_knowledge_tables_data_dir);
	g_test_add_func("/knowledge-tables/invalid", test_knowledge_tables_invalid);
	return g_test_run();
}
