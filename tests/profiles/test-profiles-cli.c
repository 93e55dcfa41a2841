/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wf-profiles-test.h"

#define MIB (1024u * 1024u)

typedef struct {
	gint status;
	gchar *out;
	gchar *err;
} CliResult;

static void
cli_result_clear(CliResult *r)
{
	g_free(r->out);
	g_free(r->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CliResult, cli_result_clear)

/* runs wristflash-cli with the test's isolated XDG dirs */
static void
run_cli(CliResult *r, const gchar *first, ...)
{
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *cli = g_getenv("WF_CLI");
	va_list args;

	g_assert_nonnull(cli);
	g_ptr_array_add(argv, (gpointer)cli);
	va_start(args, first);
	for (const gchar *arg = first; arg != NULL; arg = va_arg(args, const gchar *))
		g_ptr_array_add(argv, (gpointer)arg);
	va_end(args);
	g_ptr_array_add(argv, NULL);

	g_subprocess_launcher_setenv(launcher, "XDG_DATA_HOME", g_get_user_data_dir(), TRUE);
	proc = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, &error);
	g_assert_no_error(error);
	g_subprocess_communicate_utf8(proc, NULL, NULL, &r->out, &r->err, &error);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_get_if_exited(proc));
	r->status = g_subprocess_get_exit_status(proc);
	g_test_message("exit %d\nstdout:\n%s\nstderr:\n%s", r->status, r->out, r->err);
}

static JsonObject *
parse_last_line(const gchar *out)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	g_autoptr(GError) error = NULL;
	const gchar *last = NULL;

	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] != '\0')
			last = lines[i];
	}
	g_assert_nonnull(last);
	json_parser_load_from_data(parser, last, -1, &error);
	g_assert_no_error(error);
	return json_object_ref(json_node_get_object(json_parser_get_root(parser)));
}

static gboolean
array_has_id(JsonArray *array, const gchar *id)
{
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *obj = json_array_get_object_element(array, i);
		if (g_strcmp0(json_object_get_string_member(obj, "id"), id) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
test_help(void)
{
	g_auto(CliResult) r = {0};
	run_cli(&r, "--help", NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "profiles"));
	g_assert_nonnull(strstr(r.out, "identify"));
	g_assert_nonnull(strstr(r.out, "check"));
}

static void
test_profiles(void)
{
	g_auto(CliResult) text = {0};
	g_auto(CliResult) json = {0};
	g_auto(CliResult) one = {0};
	g_auto(CliResult) missing = {0};
	g_autoptr(JsonObject) obj = NULL;
	g_autoptr(JsonObject) entry = NULL;

	run_cli(&text, "profiles", NULL);
	g_assert_cmpint(text.status, ==, 0);
	g_assert_nonnull(strstr(text.out, "dz09-k91"));
	g_assert_nonnull(strstr(text.out, "DZ09 (K91-V1.1 PCB)"));
	g_assert_nonnull(strstr(text.out, "C8 60 17  GigaDevice GD25LQ64"));
	g_assert_nonnull(strstr(text.out, "st7789"));
	g_assert_cmpstr(text.err, ==, "");

	run_cli(&json, "profiles", "--json", NULL);
	g_assert_cmpint(json.status, ==, 0);
	obj = parse_last_line(json.out);
	g_assert_cmpstr(json_object_get_string_member(obj, "event"), ==, "profiles");
	g_assert_true(array_has_id(json_object_get_array_member(obj, "models"), "v8"));
	g_assert_true(array_has_id(json_object_get_array_member(obj, "socs"), "mt6261"));
	g_assert_true(array_has_id(json_object_get_array_member(obj, "flash_parts"), "c86017"));
	g_assert_cmpuint(
		json_array_get_length(json_object_get_array_member(obj, "problems")), ==, 0);

	run_cli(&one, "--json", "profiles", "v8", NULL);
	g_assert_cmpint(one.status, ==, 0);
	entry = parse_last_line(one.out);
	g_assert_cmpstr(json_object_get_string_member(entry, "kind"), ==, "model");
	g_assert_cmpstr(json_object_get_string_member(entry, "name"), ==, "V8");

	run_cli(&missing, "profiles", "no-such-thing", NULL);
	g_assert_cmpint(missing.status, ==, 1);
	g_assert_nonnull(strstr(missing.err, "no-such-thing"));
}

/* a broken user file is a warning; everything else works */
static void
test_profiles_broken_user_file(void)
{
	g_autofree gchar *path = wf_test_write_user_profile("broken.json", "{\"schema_version\": ");
	g_autofree gchar *good = wf_test_write_user_profile(
		"mine.json",
		"{\"schema_version\": 1, \"sources\": {\"ME\": {\"title\": \"mine\"}}, "
		"\"models\": [{\"id\": \"my-watch\", \"name\": \"Mine\", \"sources\": [\"ME\"]}]}");
	g_auto(CliResult) text = {0};
	g_auto(CliResult) json = {0};
	g_autoptr(JsonObject) obj = NULL;
	JsonArray *problems;

	run_cli(&text, "profiles", NULL);
	g_assert_cmpint(text.status, ==, 0);
	g_assert_nonnull(strstr(text.err, "Warning: profile ignored:"));
	g_assert_nonnull(strstr(text.err, path));
	g_assert_nonnull(strstr(text.out, "my-watch"));
	g_assert_nonnull(strstr(text.out, "(yours)"));
	g_assert_nonnull(strstr(text.out, "dz09-k91"));

	run_cli(&json, "profiles", "--json", NULL);
	g_assert_cmpint(json.status, ==, 0);
	obj = parse_last_line(json.out);
	problems = json_object_get_array_member(obj, "problems");
	g_assert_cmpuint(json_array_get_length(problems), ==, 1);
	g_assert_cmpstr(
		json_object_get_string_member(json_array_get_object_element(problems, 0), "file"),
		==,
		path);
	g_assert_true(
		json_object_get_boolean_member(json_array_get_object_element(problems, 0), "user"));
}

static void
test_identify(void)
{
	g_auto(CliResult) text = {0};
	g_auto(CliResult) json = {0};
	g_auto(CliResult) usage = {0};
	g_auto(CliResult) nothing = {0};
	g_autoptr(JsonObject) obj = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *nowhere = wf_test_tmp_path("nowhere");
	JsonArray *candidates;
	JsonObject *first;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	dir = wf_test_make_backup("backup", &spec, &wf_test_chip_mt6261);

	run_cli(&text, "identify", dir, NULL);
	g_assert_cmpint(text.status, ==, 0);
	g_assert_nonnull(strstr(text.out, "MT6261DA → SoC MT6261"));
	g_assert_nonnull(strstr(text.out, "C8 60 17, 8.0"));
	g_assert_nonnull(strstr(text.out, " 1. DZ09 (K91-V1.1 PCB) [dz09-k91]  high"));
	g_assert_nonnull(strstr(text.out, "+ base project GPLUS61A_11C_NX9 matches"));
	g_assert_nonnull(strstr(text.out, "+ flash C8 60 17 is one of this board's parts"));
	g_assert_nonnull(strstr(text.out, "- LCD 7789HSD (ST7789) is not this board's"));

	run_cli(&json, "--json", "identify", dir, NULL);
	g_assert_cmpint(json.status, ==, 0);
	obj = parse_last_line(json.out);
	g_assert_cmpstr(json_object_get_string_member(obj, "event"), ==, "identify");
	g_assert_cmpstr(json_object_get_string_member(obj, "soc"), ==, "mt6261");
	candidates = json_object_get_array_member(obj, "candidates");
	first = json_array_get_object_element(candidates, 0);
	g_assert_cmpstr(json_object_get_string_member(first, "id"), ==, "dz09-k91");
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(obj, "watch"),
						      "jedec_id"),
			==,
			"C86017");

	run_cli(&usage, "identify", NULL);
	g_assert_cmpint(usage.status, ==, 2);
	run_cli(&nothing, "identify", nowhere, NULL);
	g_assert_cmpint(nothing.status, ==, 1);
	g_assert_nonnull(strstr(nothing.err, "Error:"));
}

static void
test_check(void)
{
	g_auto(CliResult) ok = {0};
	g_auto(CliResult) risky = {0};
	g_auto(CliResult) bad = {0};
	g_auto(CliResult) json = {0};
	g_auto(CliResult) usage = {0};
	g_auto(CliResult) folder = {0};
	g_auto(CliResult) with_cfg = {0};
	g_autoptr(JsonObject) obj = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *same = NULL;
	g_autofree gchar *lcd = NULL;
	g_autofree gchar *chip = NULL;
	g_autofree gchar *cfg = wf_test_data_path("cfg", "mt6261_simcom_SIM868M32_EAT.cfg");
	g_autofree gchar *package = NULL;
	WfSimImageSpec spec;

	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	dir = wf_test_make_backup("backup", &spec, &wf_test_chip_mt6261);
	same = wf_test_make_rom("same.ROM", &spec);
	spec.verno = "VW_DZ09_V1.0_COB_9340_FT6236_EU_IPS_20250301";
	lcd = wf_test_make_rom("lcd.ROM", &spec);
	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	spec.platform = "MT6260";
	chip = wf_test_make_rom("chip.ROM", &spec);

	run_cli(&ok, "check", same, "--against", dir, NULL);
	g_assert_cmpint(ok.status, ==, 0);
	g_assert_nonnull(strstr(ok.out, "Compatible"));
	g_assert_nonnull(strstr(ok.out, "[ok]    same base project GPLUS61A_11C_NX9"));
	g_assert_nonnull(strstr(ok.out, "looks like a build for DZ09 (K91-V1.1 PCB) [dz09-k91]"));

	/* risky has its own exit status */
	run_cli(&risky, "check", lcd, "-a", dir, NULL);
	g_assert_cmpint(risky.status, ==, 3);
	g_assert_nonnull(strstr(risky.out, "Risky"));
	g_assert_nonnull(strstr(risky.out, "[RISKY] different LCD controller"));

	run_cli(&bad, "check", chip, "--against", dir, NULL);
	g_assert_cmpint(bad.status, ==, 1);
	g_assert_nonnull(strstr(bad.out, "Incompatible"));
	g_assert_nonnull(strstr(bad.out, "[NO]    other chip"));

	run_cli(&json, "check", "--json", chip, "--against", dir, NULL);
	g_assert_cmpint(json.status, ==, 1);
	obj = parse_last_line(json.out);
	g_assert_cmpstr(json_object_get_string_member(obj, "event"), ==, "check");
	g_assert_cmpstr(json_object_get_string_member(obj, "verdict"), ==, "incompatible");
	g_assert_cmpstr(json_object_get_string_member(
				json_array_get_object_element(
					json_object_get_array_member(obj, "reasons"), 0),
				"code"),
			==,
			"platform-mismatch");
	g_assert_cmpstr(json_object_get_string_member(
				json_object_get_object_member(obj, "firmware"), "platform"),
			==,
			"MT6260");

	/* the cfg's flash list lacks the watch's flash */
	run_cli(&with_cfg, "check", same, "--against", dir, "--cfg", cfg, NULL);
	g_assert_cmpint(with_cfg.status, ==, 1);
	g_assert_nonnull(strstr(with_cfg.out, "not in the cfg's flash list"));

	run_cli(&usage, "check", same, NULL);
	g_assert_cmpint(usage.status, ==, 2);
	/* a package folder, as `split` writes it */
	wf_test_spec_init(&spec, 8 * MIB, 0xC86017);
	g_free(package);
	package = wf_test_make_package("package", &spec);
	run_cli(&folder, "check", package, "--against", dir, NULL);
	g_assert_cmpint(folder.status, ==, 0);
	g_assert_nonnull(strstr(folder.out,
				"[ok]    the watch's flash C8 60 17 (GigaDevice GD25LQ64) is in "
				"the cfg's flash list"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/profiles/cli/help", test_help);
	g_test_add_func("/profiles/cli/profiles", test_profiles);
	g_test_add_func("/profiles/cli/profiles-broken-user-file", test_profiles_broken_user_file);
	g_test_add_func("/profiles/cli/identify", test_identify);
	g_test_add_func("/profiles/cli/check", test_check);
	return g_test_run();
}
