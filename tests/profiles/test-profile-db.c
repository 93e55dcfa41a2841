/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-error.h"
#include "wf-profile-db.h"
#include "wf-profiles-test.h"

static WfKnowledgeTable *
load_components(void)
{
	g_autoptr(WfKnowledgeTable) table =
		wf_knowledge_table_new(WF_KNOWLEDGE_TABLE_KIND_COMPONENTS);
	g_autoptr(GError) error = NULL;
	g_assert_true(wf_knowledge_table_load_default(table, &error));
	g_assert_no_error(error);
	return g_steal_pointer(&table);
}

static void
assert_no_problems(WfProfileDb *db)
{
	GPtrArray *problems = wf_profile_db_get_problems(db);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree gchar *s = wf_profile_problem_to_string(g_ptr_array_index(problems, i));
		g_test_message("problem: %s", s);
	}
	g_assert_cmpuint(problems->len, ==, 0);
}

/* the problem a broken file produced, checked by file, entry and field */
static const WfProfileProblem *
find_problem(WfProfileDb *db, const gchar *file, const gchar *entry, const gchar *field)
{
	GPtrArray *problems = wf_profile_db_get_problems(db);
	for (guint i = 0; i < problems->len; i++) {
		const WfProfileProblem *p = g_ptr_array_index(problems, i);
		if (g_strcmp0(p->file, file) == 0 && g_strcmp0(p->entry, entry) == 0 &&
		    g_strcmp0(p->field, field) == 0)
			return p;
	}
	for (guint i = 0; i < problems->len; i++) {
		g_autofree gchar *s = wf_profile_problem_to_string(g_ptr_array_index(problems, i));
		g_test_message("have: %s", s);
	}
	return NULL;
}

/* every shipped file validates on its own, and all of them together resolve
 * every reference and every token against data/components */
static void
test_shipped_files_validate(void)
{
	g_autofree gchar *dir = wf_profile_db_get_shipped_dir();
	g_autoptr(WfKnowledgeTable) components = load_components();
	g_autoptr(WfProfileDb) all = wf_profile_db_new();
	g_autoptr(GDir) gdir = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *name;
	guint n_files = 0;

	gdir = g_dir_open(dir, 0, &error);
	g_assert_no_error(error);
	while ((name = g_dir_read_name(gdir)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_autoptr(WfProfileDb) db = wf_profile_db_new();
		g_autoptr(GError) error_local = NULL;
		guint n = 0;

		g_assert_true(g_str_has_suffix(name, ".json"));
		g_assert_true(wf_profile_db_load_file(db, path, FALSE, &error_local));
		g_assert_no_error(error_local);
		assert_no_problems(db);
		for (guint k = 0; k < WF_PROFILE_KIND_LAST; k++)
			n += wf_profile_db_get_entries(db, k)->len;
		g_assert_cmpuint(n, >, 0);
		n_files++;
	}
	g_assert_cmpuint(n_files, >=, 4);

	wf_profile_db_set_components(all, components);
	g_assert_true(wf_profile_db_load_dir(all, dir, FALSE, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_profile_db_check_references(all), ==, 0);
	assert_no_problems(all);
	g_assert_cmpuint(wf_profile_db_get_files(all)->len, ==, n_files);
}

/* firmware-formats.md §5: every model, flash id and LCD/touch token */
static void
test_shipped_content(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	const gchar *models[] = {"dz09-k91",
				 "dz09-2017",
				 "dz09-mx6x-2019",
				 "qw09-mjw-m10",
				 "gt08",
				 "u8",
				 "u8-plus",
				 "v8",
				 "q18",
				 "otium-one",
				 "sylvania",
				 "a1-w8-generic",
				 "mt2502-rephone",
				 "simcom-sim868",
				 "altice-f2",
				 "ph05",
				 "gxq03d-sdk"};
	/* §5 ids and their sizes: 0x16/0x17/0x18 = 32/64/128 Mbit, and Macronix's
	 * 1.8 V series counts 0x36/0x37/0x38 the same way (KH25U6439F = 0x37) */
	const struct {
		guint32 jedec;
		guint64 size;
	} flash_ids[] = {
		{0xC22536, 4 * 1024 * 1024},
		{0xC22538, 16 * 1024 * 1024},
		{0xC22016, 4 * 1024 * 1024},
		{0xEF4016, 4 * 1024 * 1024},
		{0xEF7016, 4 * 1024 * 1024},
		{0xC86016, 4 * 1024 * 1024},
		{0xC22537, 8 * 1024 * 1024},
		{0xEF6018, 16 * 1024 * 1024},
		{0xC86018, 16 * 1024 * 1024},
		{0xC86017, 8 * 1024 * 1024},
	};
	const gchar *lcd_tokens[] = {"7789HSD", "9307HSD", "9340", "ST7789S", "ILI9341"};
	const gchar *touch_tokens[] = {"CST016SE", "6113", "GL6113", "YDT6153", "FT6236"};
	const WfProfileModel *dz09;
	const WfProfileFlashPart *part;
	const WfProfileSoc *soc;

	assert_no_problems(db);
	for (guint i = 0; i < G_N_ELEMENTS(models); i++) {
		WfProfileEntry *entry = wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, models[i]);
		g_assert_nonnull(entry);
		g_assert_cmpuint(entry->sources->len, >, 0);
		g_assert_false(entry->user);
	}
	for (guint i = 0; i < G_N_ELEMENTS(flash_ids); i++) {
		part = wf_profile_db_find_flash_part(db, flash_ids[i].jedec);
		g_assert_nonnull(part);
		g_assert_cmpuint(part->size, ==, flash_ids[i].size);
		g_assert_nonnull(part->vendor);
	}
	for (guint i = 0; i < G_N_ELEMENTS(lcd_tokens); i++)
		g_assert_nonnull(
			wf_profile_db_find_controller(db, WF_PROFILE_KIND_LCD, lcd_tokens[i]));
	for (guint i = 0; i < G_N_ELEMENTS(touch_tokens); i++)
		g_assert_nonnull(
			wf_profile_db_find_controller(db, WF_PROFILE_KIND_TOUCH, touch_tokens[i]));

	/* the DZ09 row, field by field */
	dz09 = (const WfProfileModel *)wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "dz09-k91");
	g_assert_cmpstr(dz09->name, ==, "DZ09");
	g_assert_true(wf_profile_strv_contains(dz09->socs, "mt6261"));
	g_assert_true(wf_profile_strv_contains(dz09->flash_parts, "c86017"));
	g_assert_true(wf_profile_strv_contains(dz09->base_projects, "GPLUS61A_11C_NX9"));
	g_assert_true(wf_profile_model_has_flash_size(dz09, 8 * 1024 * 1024));
	g_assert_cmpuint(dz09->ram_size, ==, 4 * 1024 * 1024);
	g_assert_cmpstr(dz09->resolution, ==, "240x240");
	g_assert_true(wf_profile_model_match_version(dz09,
						     "GPLUS61A_11C_NX9_PCB01_gprs_MT6261_S00.NX9_"
						     "V2_1_YJLNS1_64_T1_L3_C4_G4_B_20151212"));
	g_assert_false(wf_profile_model_match_version(dz09, "MX6X-COB-DZ09-7789HSD"));

	/* unknown stays unknown */
	soc = (const WfProfileSoc *)wf_profile_db_lookup(db, WF_PROFILE_KIND_SOC, "mt2502");
	g_assert_cmpint(soc->hw_code, ==, WF_PROFILE_UNKNOWN);
	part = wf_profile_db_find_flash_part(db, 0xC22536);
	g_assert_null(part->part);
	g_assert_cmpstr(part->series, ==, "MX25U");
	part = (const WfProfileFlashPart *)wf_profile_db_lookup(
		db, WF_PROFILE_KIND_FLASH_PART, "w25q32jv");
	g_assert_cmpint(part->jedec, ==, WF_PROFILE_UNKNOWN);
	g_assert_cmpstr(part->part, ==, "W25Q32JV");
	g_assert_false(
		((const WfProfileModel *)wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "v8"))
			->has_layout);

	/* a reference layout, as §2.3 gives it */
	{
		const WfProfileModel *sim868 = (const WfProfileModel *)wf_profile_db_lookup(
			db, WF_PROFILE_KIND_MODEL, "simcom-sim868");
		g_assert_true(sim868->has_layout);
		g_assert_cmpint(sim868->layout.rom, ==, 0xB000);
		g_assert_cmpint(sim868->layout.fs_base, ==, 0x380000);
		g_assert_cmpint(sim868->layout.fs_size, ==, 0x7E000);
		g_assert_cmpint(sim868->layout.mutable_from, ==, WF_PROFILE_UNKNOWN);
	}
}

static void
test_find_soc(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();

	g_assert_cmpstr(wf_profile_db_find_soc(db, "MT6261DA")->entry.id, ==, "mt6261");
	g_assert_cmpstr(wf_profile_db_find_soc(db, "mt6260a")->entry.id, ==, "mt6260");
	/* a tag suffix after the name */
	g_assert_cmpstr(wf_profile_db_find_soc(db, "MT6261PRO")->entry.id, ==, "mt6261");
	g_assert_cmpstr(wf_profile_db_find_soc(db, "MT2503DV")->entry.id, ==, "mt2503");
	g_assert_null(wf_profile_db_find_soc(db, "MT6261-X"));
	g_assert_null(wf_profile_db_find_soc(db, "MT6572"));

	/* the MT2503 reports the MT6261 hw code; the e-fuse decides */
	g_assert_cmpstr(
		wf_profile_db_find_soc_for_ids(db, 0x6261, 0xCB01, 0x35C0)->entry.id, ==, "mt6261");
	g_assert_cmpstr(
		wf_profile_db_find_soc_for_ids(db, 0x6261, 0xCB01, 0x3600)->entry.id, ==, "mt2503");
	g_assert_cmpstr(
		wf_profile_db_find_soc_for_ids(db, 0x6261, 0xCA02, 0x7640)->entry.id, ==, "mt2503");
	g_assert_cmpstr(wf_profile_db_find_soc_for_ids(db, 0x6261, -1, -1)->entry.id, ==, "mt6261");
	g_assert_cmpstr(wf_profile_db_find_soc_for_ids(db, 0x6260, 0, 0)->entry.id, ==, "mt6260");
	g_assert_null(wf_profile_db_find_soc_for_ids(db, 0x6572, -1, -1));
	g_assert_null(wf_profile_db_find_soc_for_ids(db, -1, -1, -1));

	/* tokens are case-insensitive, and a part name finds its controller */
	g_assert_cmpstr(wf_profile_db_find_controller(db, WF_PROFILE_KIND_LCD, "7789hsd")->entry.id,
			==,
			"st7789");
	g_assert_null(wf_profile_db_find_controller(db, WF_PROFILE_KIND_TOUCH, "7789HSD"));
}

/* a broken file: nothing of it loads, and the problem names file, entry and field */
static void
check_broken(const gchar *json, const gchar *entry, const gchar *field, const gchar *message)
{
	static guint n = 0;
	g_autofree gchar *name = g_strdup_printf("broken-%u.json", n++);
	g_autofree gchar *path = wf_test_write_file(name, json);
	g_autoptr(WfProfileDb) db = wf_profile_db_new();
	g_autoptr(GError) error = NULL;
	const WfProfileProblem *problem;

	g_assert_false(wf_profile_db_load_file(db, path, TRUE, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_INVALID_FILE);
	g_assert_nonnull(strstr(error->message, path));
	problem = find_problem(db, path, entry, field);
	g_assert_nonnull(problem);
	g_assert_true(problem->user);
	g_assert_nonnull(strstr(problem->message, message));
	for (guint k = 0; k < WF_PROFILE_KIND_LAST; k++)
		g_assert_cmpuint(wf_profile_db_get_entries(db, k)->len, ==, 0);
	g_assert_cmpuint(wf_profile_db_get_files(db)->len, ==, 0);
}

#define SRC "\"sources\": {\"ME\": {\"title\": \"my own notes\"}}"

static void
test_schema_errors(void)
{
	check_broken("{\"schema_version\": 1, " SRC ", \"models\": [{\"id\": \"x\", ",
		     NULL,
		     NULL,
		     "is not valid JSON");
	check_broken("[1, 2]", NULL, NULL, "is not a JSON object");
	check_broken("{" SRC "}", NULL, "schema_version", "is required");
	check_broken("{\"schema_version\": 2, " SRC "}", NULL, "schema_version", "reads schema 1");
	check_broken("{\"schema_version\": 1, " SRC ", \"watches\": []}",
		     NULL,
		     "watches",
		     "unknown section");
	check_broken("{\"schema_version\": 1, \"sources\": {\"ME\": {\"url\": \"x\"}}}",
		     NULL,
		     "sources.ME.title",
		     "is required");
	check_broken("{\"schema_version\": 1, " SRC ", \"models\": {}}",
		     NULL,
		     "models",
		     "must be an array");
	/* entries: file, entry and field named */
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"mine\", \"name\": \"W\", \"sources\": [\"ME\"], "
		     "\"flash_sizes\": [\"8M\"]}]}",
		     "models[0] (mine)",
		     "flash_sizes[0]",
		     "positive integer");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"mine\", \"name\": \"W\", \"sources\": [\"ME\"], "
		     "\"colour\": \"red\"}]}",
		     "models[0] (mine)",
		     "colour",
		     "unknown field");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"ok\", \"name\": \"W\", \"sources\": [\"ME\"]}, "
		     "{\"id\": \"mine\", \"name\": \"W\"}]}",
		     "models[1] (mine)",
		     "sources",
		     "is required");
	check_broken("{\"schema_version\": 1, " SRC ", \"models\": [{\"id\": \"mine\", \"name\": "
		     "\"W\", \"sources\": [\"XDA: p. 3\"]}]}",
		     "models[0] (mine)",
		     "sources",
		     "‘XDA’ is not defined");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"Mine!\", \"name\": \"W\", \"sources\": [\"ME\"]}]}",
		     "models[0] (Mine!)",
		     "id",
		     "is not an id");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"mine\", \"name\": \"W\", \"sources\": [\"ME\"], "
		     "\"version_patterns\": [\"^MX6X(\"]}]}",
		     "models[0] (mine)",
		     "version_patterns[0]",
		     "not a regular expression");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"mine\", \"name\": \"W\", \"sources\": [\"ME\"], "
		     "\"version_patterns\": [\"^MX6X-\"], \"version_examples\": [\"QW_M10\"]}]}",
		     "models[0] (mine)",
		     "version_examples[0]",
		     "matches none");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"mine\", \"name\": \"W\", \"sources\": [\"ME\"], "
		     "\"layout\": {\"rom\": \"0xB000\", \"romm\": \"0x0\"}}]}",
		     "models[0] (mine)",
		     "layout.romm",
		     "unknown field");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"mine\", \"name\": \"\", \"sources\": [\"ME\"]}]}",
		     "models[0] (mine)",
		     "name",
		     "must not be empty");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"mine\", \"name\": \"W\", \"sources\": [\"ME\"], "
		     "\"device_type\": \"fridge\"}]}",
		     "models[0] (mine)",
		     "device_type",
		     "must be");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"socs\": [{\"id\": \"s\", \"name\": \"S\", \"sources\": [\"ME\"], "
		     "\"hw_code\": \"0x12345\"}]}",
		     "socs[0] (s)",
		     "hw_code",
		     "hex string");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"socs\": [{\"id\": \"s\", \"name\": \"S\", \"sources\": [\"ME\"], "
		     "\"efuse_versions\": [{\"name\": \"X\"}]}]}",
		     "socs[0] (s)",
		     "efuse_versions[0].value",
		     "is required");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"flash_parts\": [{\"id\": \"f\", \"jedec_id\": \"C860\", \"sources\": "
		     "[\"ME\"]}]}",
		     "flash_parts[0] (f)",
		     "jedec_id",
		     "six hex digits");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"flash_parts\": [{\"id\": \"f\", \"sources\": [\"ME\"]}]}",
		     "flash_parts[0] (f)",
		     "jedec_id",
		     "is required");
	check_broken(
		"{\"schema_version\": 1, " SRC
		", \"lcd_controllers\": [{\"id\": \"l\", \"tokens\": [], \"sources\": [\"ME\"]}]}",
		"lcd_controllers[0] (l)",
		"tokens",
		"at least one token");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"touch_controllers\": [{\"id\": \"t\", \"tokens\": [\"A\", \"a\"], "
		     "\"sources\": [\"ME\"]}]}",
		     "touch_controllers[0] (t)",
		     "tokens[1]",
		     "listed twice");
	check_broken("{\"schema_version\": 1, " SRC
		     ", \"models\": [{\"id\": \"m\", \"name\": \"W\", \"sources\": [\"ME\"]}, "
		     "{\"id\": \"m\", \"name\": \"V\", \"sources\": [\"ME\"]}]}",
		     "models[1] (m)",
		     "id",
		     "used twice");
}

/* a user entry with a shipped id replaces it; a new id extends the database */
static void
test_user_override(void)
{
	g_autofree gchar *path = wf_test_write_user_profile(
		"mine.json",
		"{\"schema_version\": 1, " SRC ", \"models\": ["
		"{\"id\": \"dz09-k91\", \"name\": \"My DZ09\", \"socs\": [\"mt6261\"], "
		"\"base_projects\": [\"MYPROJ61A_11C\"], \"sources\": [\"ME: my watch\"]},"
		"{\"id\": \"my-watch\", \"name\": \"Mine\", \"sources\": [\"ME\"]}]}");
	g_autofree gchar *shipped = wf_profile_db_get_shipped_dir();
	g_autofree gchar *shipped_models = g_build_filename(shipped, "models.json", NULL);
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(WfProfileDb) plain = wf_profile_db_new();
	const WfProfileModel *model;
	GPtrArray *models;
	guint idx_user = 0, idx_shipped = 0;

	assert_no_problems(db);
	model = (const WfProfileModel *)wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "dz09-k91");
	g_assert_cmpstr(model->name, ==, "My DZ09");
	g_assert_true(model->entry.user);
	g_assert_cmpstr(model->entry.file, ==, path);
	g_assert_cmpstr(model->entry.overrides, ==, shipped_models);
	g_assert_true(wf_profile_strv_contains(model->base_projects, "MYPROJ61A_11C"));
	g_assert_false(wf_profile_strv_contains(model->base_projects, "GPLUS61A_11C_NX9"));
	g_assert_nonnull(wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "my-watch"));

	/* same count as shipped + one, and the replacement keeps its place */
	g_assert_true(wf_profile_db_load_dir(plain, shipped, FALSE, NULL));
	models = wf_profile_db_get_entries(db, WF_PROFILE_KIND_MODEL);
	g_assert_cmpuint(
		models->len, ==, wf_profile_db_get_entries(plain, WF_PROFILE_KIND_MODEL)->len + 1);
	g_assert_true(g_ptr_array_find(models, model, &idx_user));
	g_assert_true(
		g_ptr_array_find(wf_profile_db_get_entries(plain, WF_PROFILE_KIND_MODEL),
				 wf_profile_db_lookup(plain, WF_PROFILE_KIND_MODEL, "dz09-k91"),
				 &idx_shipped));
	g_assert_cmpuint(idx_user, ==, idx_shipped);
}

/* a corrupt user file is listed and ignored; shipped and other user files load */
static void
test_corrupt_user_file(void)
{
	g_autofree gchar *bad =
		wf_test_write_user_profile("a-broken.json", "{\"schema_version\": 1,");
	g_autofree gchar *bad2 = wf_test_write_user_profile(
		"b-wrong.json",
		"{\"schema_version\": 1, " SRC ", \"models\": [{\"id\": \"dz09-k91\", \"name\": "
		"\"Hijack\", \"sources\": [\"ME\"], \"flash_sizes\": 8}]}");
	g_autofree gchar *good = wf_test_write_user_profile(
		"c-good.json",
		"{\"schema_version\": 1, " SRC ", \"models\": [{\"id\": \"my-watch\", \"name\": "
		"\"Mine\", \"sources\": [\"ME\"]}]}");
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	const WfProfileProblem *problem;
	const WfProfileModel *model;

	problem = find_problem(db, bad, NULL, NULL);
	g_assert_nonnull(problem);
	g_assert_true(problem->user);
	g_assert_nonnull(strstr(problem->message, "not valid JSON"));
	problem = find_problem(db, bad2, "models[0] (dz09-k91)", "flash_sizes");
	g_assert_nonnull(problem);
	/* the broken override did not replace the shipped entry */
	model = (const WfProfileModel *)wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "dz09-k91");
	g_assert_cmpstr(model->name, ==, "DZ09");
	g_assert_false(model->entry.user);
	g_assert_nonnull(wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "my-watch"));
	g_assert_nonnull(wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "v8"));
	g_assert_true(g_ptr_array_find_with_equal_func(
		wf_profile_db_get_files(db), good, g_str_equal, NULL));
	g_assert_false(g_ptr_array_find_with_equal_func(
		wf_profile_db_get_files(db), bad, g_str_equal, NULL));
}

/* references and tokens are checked across files; entries stay */
static void
test_reference_problems(void)
{
	g_autofree gchar *path = wf_test_write_user_profile(
		"refs.json",
		"{\"schema_version\": 1, " SRC ", "
		"\"lcd_controllers\": [{\"id\": \"my-lcd\", \"tokens\": [\"NT35510\"], "
		"\"sources\": "
		"[\"ME\"]}, {\"id\": \"my-lcd2\", \"tokens\": [\"FT6236\"], \"sources\": "
		"[\"ME\"]}, "
		"{\"id\": \"my-lcd3\", \"tokens\": [\"7789hsd\"], \"sources\": [\"ME\"]}],"
		"\"flash_parts\": [{\"id\": \"dup\", \"jedec_id\": \"C8 60 17\", \"sources\": "
		"[\"ME\"]}],"
		"\"models\": [{\"id\": \"my-watch\", \"name\": \"Mine\", \"socs\": [\"mt9999\"], "
		"\"lcd\": [\"st7789\"], \"touch\": [\"st7789\"], \"panel_tokens\": [\"TN\"], "
		"\"sources\": [\"ME\"]}]}");
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	const WfProfileProblem *problem;

	g_assert_nonnull(wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "my-watch"));
	problem = find_problem(db, path, "models (my-watch)", "socs");
	g_assert_nonnull(problem);
	g_assert_nonnull(strstr(problem->message, "mt9999"));
	g_assert_true(problem->user);
	g_assert_nonnull(find_problem(db, path, "models (my-watch)", "touch"));
	g_assert_null(find_problem(db, path, "models (my-watch)", "lcd"));
	problem = find_problem(db, path, "models (my-watch)", "panel_tokens");
	g_assert_nonnull(problem);
	g_assert_nonnull(strstr(problem->message, "not in the components table"));
	problem = find_problem(db, path, "lcd_controllers (my-lcd)", "tokens");
	g_assert_nonnull(problem);
	problem = find_problem(db, path, "lcd_controllers (my-lcd2)", "tokens");
	g_assert_nonnull(problem);
	g_assert_nonnull(strstr(problem->message, "touch token"));
	problem = find_problem(db, path, "lcd_controllers (my-lcd3)", "tokens");
	g_assert_nonnull(problem);
	g_assert_nonnull(strstr(problem->message, "already names st7789"));
	problem = find_problem(db, path, "flash_parts (dup)", "jedec_id");
	g_assert_nonnull(problem);
	g_assert_nonnull(strstr(problem->message, "c86017"));
}

/* two user files with one id: the first stays, the second is a problem */
static void
test_user_duplicate(void)
{
	g_autofree gchar *a = wf_test_write_user_profile(
		"a.json",
		"{\"schema_version\": 1, " SRC
		", \"models\": [{\"id\": \"mine\", \"name\": \"First\", \"sources\": [\"ME\"]}]}");
	g_autofree gchar *b = wf_test_write_user_profile(
		"b.json",
		"{\"schema_version\": 1, " SRC
		", \"models\": [{\"id\": \"mine\", \"name\": \"Second\", \"sources\": [\"ME\"]}, "
		"{\"id\": \"other\", \"name\": \"Other\", \"sources\": [\"ME\"]}]}");
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	const WfProfileProblem *problem;

	g_assert_cmpstr(
		((const WfProfileModel *)wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "mine"))
			->name,
		==,
		"First");
	g_assert_nonnull(wf_profile_db_lookup(db, WF_PROFILE_KIND_MODEL, "other"));
	problem = find_problem(db, b, "models (mine)", "id");
	g_assert_nonnull(problem);
	g_assert_nonnull(strstr(problem->message, a));
}

static void
test_missing_dirs(void)
{
	g_autoptr(WfProfileDb) db = wf_profile_db_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *nowhere = wf_test_tmp_path("no-such-dir");
	g_autofree gchar *saved = g_strdup(g_getenv("WF_PROFILES_DIR"));

	/* no user folder is normal */
	g_assert_true(wf_profile_db_load_dir(db, nowhere, TRUE, &error));
	g_assert_no_error(error);
	g_assert_false(wf_profile_db_load_dir(db, nowhere, FALSE, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* without shipped profiles there is nothing to match against */
	g_setenv("WF_PROFILES_DIR", nowhere, TRUE);
	g_assert_false(wf_profile_db_load_default(db, &error));
	g_setenv("WF_PROFILES_DIR", saved, TRUE);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
}

static void
test_json(void)
{
	g_autoptr(WfProfileDb) db = wf_test_load_db();
	g_autoptr(JsonNode) node = wf_profile_db_to_json(db);
	JsonObject *obj = json_node_get_object(node);
	JsonArray *models = json_object_get_array_member(obj, "models");
	JsonObject *first = json_array_get_object_element(models, 0);

	g_assert_cmpint(json_object_get_int_member(obj, "schema_version"), ==, 1);
	g_assert_cmpuint(json_array_get_length(models),
			 ==,
			 wf_profile_db_get_entries(db, WF_PROFILE_KIND_MODEL)->len);
	g_assert_cmpstr(json_object_get_string_member(first, "kind"), ==, "model");
	g_assert_cmpstr(json_object_get_string_member(first, "id"), ==, "dz09-k91");
	g_assert_true(
		g_str_has_suffix(json_object_get_string_member(first, "file"), "models.json"));
	g_assert_cmpuint(
		json_array_get_length(json_object_get_array_member(obj, "problems")), ==, 0);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(obj, "socs")), ==, 4);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/profiles/db/shipped-files-validate", test_shipped_files_validate);
	g_test_add_func("/profiles/db/shipped-content", test_shipped_content);
	g_test_add_func("/profiles/db/find-soc", test_find_soc);
	g_test_add_func("/profiles/db/schema-errors", test_schema_errors);
	g_test_add_func("/profiles/db/user-override", test_user_override);
	g_test_add_func("/profiles/db/corrupt-user-file", test_corrupt_user_file);
	g_test_add_func("/profiles/db/reference-problems", test_reference_problems);
	g_test_add_func("/profiles/db/user-duplicate", test_user_duplicate);
	g_test_add_func("/profiles/db/json", test_json);
	g_test_add_func("/profiles/db/missing-dirs", test_missing_dirs);
	return g_test_run();
}
