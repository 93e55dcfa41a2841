/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "wf-cfg.h"
#include "wf-cli.h"
#include "wf-compat.h"
#include "wf-error.h"
#include "wf-profile-db.h"
#include "wf-watch-match.h"

/* Commands that read files only: nothing here opens a port. */

/* Loads shipped and user profiles; problems with single files are
 * warnings on stderr (and in the JSON output), never fatal. */
static WfProfileDb *
wf_cli_profiles_load(GError **error)
{
	g_autoptr(WfProfileDb) db = wf_profile_db_new();
	GPtrArray *problems;

	if (!wf_profile_db_load_default(db, error))
		return NULL;
	problems = wf_profile_db_get_problems(db);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree gchar *line =
			wf_profile_problem_to_string(g_ptr_array_index(problems, i));
		g_printerr("%s %s\n", _("Warning: profile ignored:"), line);
	}
	return g_steal_pointer(&db);
}

static JsonArray *
wf_cli_profiles_problems_json(WfProfileDb *db)
{
	GPtrArray *problems = wf_profile_db_get_problems(db);
	JsonArray *array = json_array_new();
	for (guint i = 0; i < problems->len; i++)
		json_array_add_element(array,
				       wf_profile_problem_to_json(g_ptr_array_index(problems, i)));
	return array;
}

static gchar *
wf_cli_profiles_size(guint64 size)
{
	if (size == 0)
		return g_strdup(_("size unknown"));
	return g_format_size_full(size, G_FORMAT_SIZE_IEC_UNITS);
}

static gchar *
wf_cli_profiles_join(GPtrArray *array)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < array->len; i++) {
		if (str->len > 0)
			g_string_append(str, ", ");
		g_string_append(str, g_ptr_array_index(array, i));
	}
	return g_string_free(str, FALSE);
}

/* ---- profiles ---------------------------------------------------------------------------- */

static gchar *
wf_cli_profiles_describe(WfProfileDb *db, const WfProfileEntry *entry)
{
	switch (entry->kind) {
	case WF_PROFILE_KIND_SOC: {
		const WfProfileSoc *soc = (const WfProfileSoc *)entry;
		g_autofree gchar *aliases = wf_cli_profiles_join(soc->aliases);
		g_autofree gchar *code = soc->hw_code >= 0
						 ? g_strdup_printf("0x%04X", (guint)soc->hw_code)
						 : g_strdup(_("unknown"));
		return g_strdup_printf(_("%s, hw code %s%s%s"),
				       soc->name,
				       code,
				       aliases[0] != '\0' ? _(", also ") : "",
				       aliases);
	}
	case WF_PROFILE_KIND_FLASH_PART: {
		const WfProfileFlashPart *part = (const WfProfileFlashPart *)entry;
		g_autofree gchar *title = wf_profile_entry_get_title(entry);
		g_autofree gchar *id = part->jedec >= 0 ? wf_profile_jedec_to_display(part->jedec)
							: g_strdup(_("id unknown"));
		g_autofree gchar *size = wf_cli_profiles_size(part->size);
		return g_strdup_printf("%s  %s, %s%s%s",
				       id,
				       title,
				       size,
				       part->voltage != NULL ? ", " : "",
				       part->voltage != NULL ? part->voltage : "");
	}
	case WF_PROFILE_KIND_LCD:
	case WF_PROFILE_KIND_TOUCH: {
		const WfProfileController *c = (const WfProfileController *)entry;
		g_autofree gchar *title = wf_profile_entry_get_title(entry);
		g_autofree gchar *tokens = wf_cli_profiles_join(c->tokens);
		return g_strdup_printf(_("%s, tokens %s"), title, tokens);
	}
	case WF_PROFILE_KIND_MODEL: {
		const WfProfileModel *model = (const WfProfileModel *)entry;
		g_autofree gchar *title = wf_profile_entry_get_title(entry);
		g_autofree gchar *projects = wf_cli_profiles_join(model->base_projects);
		g_autofree gchar *socs = wf_cli_profiles_join(model->socs);
		return g_strdup_printf("%s [%s]%s%s%s%s",
				       title,
				       model->device_type != NULL ? model->device_type : "watch",
				       socs[0] != '\0' ? ", " : "",
				       socs,
				       projects[0] != '\0' ? ", " : "",
				       projects);
	}
	default:
		return g_strdup(entry->id);
	}
}

static int
wf_cli_profiles_show_one(WfCli *cli, WfProfileDb *db, const gchar *id)
{
	g_autoptr(GError) error = NULL;

	for (guint k = 0; k < WF_PROFILE_KIND_LAST; k++) {
		WfProfileEntry *entry = wf_profile_db_lookup(db, k, id);
		g_autoptr(JsonNode) node = NULL;
		if (entry == NULL)
			continue;
		node = wf_profile_entry_to_json(entry);
		if (cli->json) {
			json_object_set_string_member(
				json_node_get_object(node), "event", "profile");
			wf_cli_print_json(cli, node);
		} else {
			g_autoptr(JsonGenerator) gen = json_generator_new();
			g_autofree gchar *text = NULL;
			json_generator_set_pretty(gen, TRUE);
			json_generator_set_root(gen, node);
			text = json_generator_to_data(gen, NULL);
			g_print("%s\n", text);
		}
		return WF_CLI_EXIT_OK;
	}
	g_set_error(&error,
		    WF_ERROR,
		    WF_ERROR_NOT_FOUND,
		    _("no profile entry has the id “%s”; “wristflash-cli profiles” lists them"),
		    id);
	return wf_cli_fail(cli, error);
}

int
wf_cli_cmd_profiles(WfCli *cli, int argc, char **argv)
{
	static const gchar *headings[WF_PROFILE_KIND_LAST] = {N_("SoCs"),
							      N_("Flash parts"),
							      N_("LCD controllers"),
							      N_("Touch ICs"),
							      N_("Models")};
	g_autoptr(WfProfileDb) db = NULL;
	g_autoptr(GError) error = NULL;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "profiles",
		    _("[ID]"),
		    _("Lists the device-profile database: SoCs, flash parts, LCD controllers, "
		      "touch ICs and watch models, shipped and from "
		      "$XDG_DATA_HOME/wristflash/profiles. With an ID, shows that entry. "
		      "Problems with profile files are listed on stderr."),
		    NULL,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc > 2)
		return wf_cli_usage_error(cli, NULL, _("Usage: wristflash-cli profiles [ID]"));
	db = wf_cli_profiles_load(&error);
	if (db == NULL)
		return wf_cli_fail(cli, error);
	if (argc == 2)
		return wf_cli_profiles_show_one(cli, db, argv[1]);
	if (cli->json) {
		g_autoptr(JsonNode) root = wf_profile_db_to_json(db);
		json_object_set_string_member(json_node_get_object(root), "event", "profiles");
		wf_cli_print_json(cli, root);
		return WF_CLI_EXIT_OK;
	}
	for (guint k = 0; k < WF_PROFILE_KIND_LAST; k++) {
		GPtrArray *entries = wf_profile_db_get_entries(db, k);
		g_print("%s (%u):\n", _(headings[k]), entries->len);
		for (guint i = 0; i < entries->len; i++) {
			const WfProfileEntry *entry = g_ptr_array_index(entries, i);
			g_autofree gchar *line = wf_cli_profiles_describe(db, entry);
			g_print("  %-16s %s%s\n",
				entry->id,
				line,
				entry->user ? _(" (yours)") : "");
		}
	}
	if (wf_profile_db_get_problems(db)->len > 0)
		g_print(_("\n%u problem(s) with profile files, listed on stderr.\n"),
			wf_profile_db_get_problems(db)->len);
	return WF_CLI_EXIT_OK;
}

/* ---- identify ---------------------------------------------------------------------------- */

/* "LCD 7789HSD = ST7789, touch FT6236, panel IPS": what the build is for */
static void
wf_cli_print_components(const WfFirmwareFacts *fw)
{
	const gchar *categories[] = {"lcd", "touch", "panel"};
	const gchar *names[] = {N_("LCD"), N_("touch"), N_("panel")};
	g_autoptr(GString) str = g_string_new(NULL);

	for (guint k = 0; k < G_N_ELEMENTS(categories); k++) {
		g_autoptr(GPtrArray) components =
			wf_firmware_facts_get_components(fw, categories[k]);
		for (guint i = 0; i < components->len; i++) {
			const WfFirmwareComponent *c = g_ptr_array_index(components, i);
			if (str->len > 0)
				g_string_append(str, ", ");
			g_string_append_printf(str, "%s %s", _(names[k]), c->token);
			if (c->part != NULL && g_ascii_strcasecmp(c->part, c->token) != 0)
				g_string_append_printf(str, " = %s", c->part);
			if (g_str_has_prefix(c->origin, "image:"))
				g_string_append(str, _(" (driver in the image)"));
		}
	}
	if (str->len > 0)
		g_print("%-10s %s\n", "", str->str);
}

static void
wf_cli_print_firmware_line(const gchar *label, const WfFirmwareFacts *fw)
{
	g_autoptr(GString) str = g_string_new(NULL);

	if (fw == NULL) {
		g_print("%-10s %s\n", label, _("no firmware identity found"));
		return;
	}
	g_string_append(str, fw->project != NULL ? fw->project : _("project unknown"));
	if (fw->branch != NULL)
		g_string_append_printf(str, " (%s)", fw->branch);
	if (fw->platform != NULL)
		g_string_append_printf(str, ", %s", fw->platform);
	if (fw->verno != NULL)
		g_string_append_printf(str, _(", version %s"), fw->verno);
	if (fw->build_date != NULL)
		g_string_append_printf(str, _(", built %s"), fw->build_date);
	g_print("%-10s %s\n", label, str->str);
	wf_cli_print_components(fw);
}

static void
wf_cli_print_watch(WfWatchMatch *match, const WfWatchFacts *watch)
{
	const WfProfileSoc *soc = wf_watch_match_get_soc(match);
	const WfProfileFlashPart *part = wf_watch_match_get_flash_part(match);
	g_autofree gchar *size = wf_cli_profiles_size(watch->flash_size);
	g_autofree gchar *id = watch->jedec >= 0 ? wf_profile_jedec_to_display(watch->jedec) : NULL;
	g_autofree gchar *part_title =
		part != NULL ? wf_profile_entry_get_title(&part->entry) : NULL;

	g_print("%-10s %s\n", _("Source:"), watch->origin);
	g_print("%-10s %s%s%s\n",
		_("Chip:"),
		watch->chip != NULL ? watch->chip : _("unknown"),
		soc != NULL ? _(" → SoC ") : "",
		soc != NULL ? soc->name : "");
	g_print("%-10s %s, %s%s%s\n",
		_("Flash:"),
		id != NULL ? id : _("JEDEC id unknown"),
		size,
		part_title != NULL ? ", " : "",
		part_title != NULL ? part_title : "");
	wf_cli_print_firmware_line(_("Firmware:"), watch->firmware);
	for (guint i = 0; i < watch->warnings->len; i++)
		g_print("%-10s %s\n",
			_("Warning:"),
			(const gchar *)g_ptr_array_index(watch->warnings, i));
}

static void
wf_cli_print_candidates(WfWatchMatch *match)
{
	GPtrArray *candidates = wf_watch_match_get_candidates(match);

	if (candidates->len == 0) {
		g_print("\n%s\n",
			_("No profile matches. Add your watch to "
			  "$XDG_DATA_HOME/wristflash/profiles (see docs/profiles.md)."));
		return;
	}
	g_print("\n%s\n", _("Candidates, best first:"));
	for (guint i = 0; i < candidates->len; i++) {
		const WfWatchCandidate *c = g_ptr_array_index(candidates, i);
		g_autofree gchar *title = wf_profile_entry_get_title(&c->model->entry);
		g_print(" %u. %s [%s]  %s, score %d\n",
			i + 1,
			title,
			c->model->entry.id,
			wf_confidence_to_string(c->confidence),
			c->score);
		for (guint k = 0; k < c->evidence->len; k++)
			g_print("      + %s\n", (const gchar *)g_ptr_array_index(c->evidence, k));
		for (guint k = 0; k < c->conflicts->len; k++)
			g_print("      - %s\n", (const gchar *)g_ptr_array_index(c->conflicts, k));
	}
}

int
wf_cli_cmd_identify(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfProfileDb) db = NULL;
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autoptr(GError) error = NULL;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "identify",
		    _("BACKUP_DIR|DUMP"),
		    _("Tells which watch a backup (or a raw full-flash dump) comes from: the "
		      "chip and flash recorded at backup time and the firmware found in the "
		      "flash image are matched against the device profiles, giving ranked "
		      "candidates and the evidence for each."),
		    NULL,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc != 2)
		return wf_cli_usage_error(
			cli, NULL, _("Usage: wristflash-cli identify BACKUP_DIR|DUMP [--json]"));
	db = wf_cli_profiles_load(&error);
	if (db == NULL)
		return wf_cli_fail(cli, error);
	watch = wf_watch_facts_new_from_path(argv[1], wf_profile_db_get_components(db), &error);
	if (watch == NULL)
		return wf_cli_fail(cli, error);
	match = wf_watch_match_new(db, watch);
	if (cli->json) {
		g_autoptr(JsonNode) root = wf_watch_match_to_json(match);
		JsonObject *obj = json_node_get_object(root);
		json_object_set_string_member(obj, "event", "identify");
		json_object_set_member(obj, "watch", wf_watch_facts_to_json(watch));
		json_object_set_array_member(obj, "problems", wf_cli_profiles_problems_json(db));
		wf_cli_print_json(cli, root);
		return WF_CLI_EXIT_OK;
	}
	wf_cli_print_watch(match, watch);
	wf_cli_print_candidates(match);
	return WF_CLI_EXIT_OK;
}

/* ---- check ------------------------------------------------------------------------------- */

static gchar *wf_cli_check_against = NULL;
static gchar *wf_cli_check_cfg = NULL;

static const GOptionEntry wf_cli_check_entries[] = {
	{"against",
	 'a',
	 0,
	 G_OPTION_ARG_FILENAME,
	 &wf_cli_check_against,
	 N_("The watch: its backup folder (or a raw full-flash dump)"),
	 N_("BACKUP_DIR")},
	{"cfg",
	 0,
	 0,
	 G_OPTION_ARG_FILENAME,
	 &wf_cli_check_cfg,
	 N_("The firmware's SP Flash Tool .cfg, for its flash-id list"),
	 N_("CFG")},
	{NULL},
};

static const gchar *
wf_cli_level_tag(WfCompatLevel level)
{
	switch (level) {
	case WF_COMPAT_LEVEL_OK:
		return "[ok]   ";
	case WF_COMPAT_LEVEL_NOTE:
		return "[note] ";
	case WF_COMPAT_LEVEL_RISKY:
		return "[RISKY]";
	case WF_COMPAT_LEVEL_INCOMPATIBLE:
	default:
		return "[NO]   ";
	}
}

static const gchar *
wf_cli_verdict_sentence(WfCompatVerdict verdict)
{
	switch (verdict) {
	case WF_COMPAT_VERDICT_COMPATIBLE:
		return _("Compatible: this firmware was made for this watch.");
	case WF_COMPAT_VERDICT_RISKY:
		return _("Risky: it may boot, but check every [RISKY] line before flashing.");
	case WF_COMPAT_VERDICT_INCOMPATIBLE:
	default:
		return _("Incompatible: do not flash this firmware on this watch.");
	}
}

static int
wf_cli_check_status(WfCompatVerdict verdict)
{
	switch (verdict) {
	case WF_COMPAT_VERDICT_COMPATIBLE:
		return WF_CLI_EXIT_OK;
	case WF_COMPAT_VERDICT_RISKY:
		return WF_CLI_EXIT_RISKY;
	case WF_COMPAT_VERDICT_INCOMPATIBLE:
	default:
		return WF_CLI_EXIT_ERROR;
	}
}

static WfFirmwareFacts *
wf_cli_check_load_firmware(WfProfileDb *db, const gchar *path, GError **error)
{
	g_autoptr(WfFirmwareFacts) fw = NULL;

	fw = wf_firmware_facts_new_from_file(path, wf_profile_db_get_components(db), error);
	if (fw == NULL)
		return NULL;
	if (wf_cli_check_cfg != NULL) {
		g_autoptr(WfCfg) cfg = wf_cfg_new_from_file(wf_cli_check_cfg, error);
		if (cfg == NULL)
			return NULL;
		wf_firmware_facts_add_cfg(fw, cfg);
	}
	return g_steal_pointer(&fw);
}

int
wf_cli_cmd_check(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfProfileDb) db = NULL;
	g_autoptr(WfFirmwareFacts) fw = NULL;
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfCompat) compat = NULL;
	g_autoptr(WfWatchMatch) fw_match = NULL;
	g_autoptr(GError) error = NULL;
	const WfWatchCandidate *best;
	GPtrArray *reasons;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "check",
		    _("FIRMWARE --against BACKUP_DIR"),
		    _("Tells whether a firmware will work on a watch, one reason per line. "
		      "FIRMWARE is a firmware package (a folder, its .cfg, or a .zip, .7z or "
		      ".rar archive), a MAUI ROM file or a full-flash dump. Exit status: 0 "
		      "compatible, 1 incompatible or error, 2 usage, 3 risky."),
		    wf_cli_check_entries,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc != 2 || wf_cli_check_against == NULL)
		return wf_cli_usage_error(
			cli,
			NULL,
			_("Usage: wristflash-cli check FIRMWARE --against BACKUP_DIR [--cfg CFG] "
			  "[--json]"));
	db = wf_cli_profiles_load(&error);
	if (db == NULL)
		return wf_cli_fail(cli, error);
	fw = wf_cli_check_load_firmware(db, argv[1], &error);
	if (fw == NULL)
		return wf_cli_fail(cli, error);
	watch = wf_watch_facts_new_from_path(
		wf_cli_check_against, wf_profile_db_get_components(db), &error);
	if (watch == NULL)
		return wf_cli_fail(cli, error);
	compat = wf_compat_check(db, fw, watch);
	fw_match = wf_watch_match_new_for_firmware(db, fw);
	best = wf_watch_match_get_best(fw_match);
	if (cli->json) {
		g_autoptr(JsonNode) root = wf_compat_to_json(compat);
		JsonObject *obj = json_node_get_object(root);
		JsonNode *candidates = wf_watch_match_to_json(fw_match);
		json_object_set_string_member(obj, "event", "check");
		json_object_set_member(obj, "firmware", wf_firmware_facts_to_json(fw));
		json_object_set_member(obj, "watch", wf_watch_facts_to_json(watch));
		json_object_set_member(obj, "firmware_profiles", candidates);
		json_object_set_array_member(obj, "problems", wf_cli_profiles_problems_json(db));
		wf_cli_print_json(cli, root);
		return wf_cli_check_status(wf_compat_get_verdict(compat));
	}
	wf_cli_print_firmware_line(_("Firmware:"), fw);
	if (best != NULL) {
		g_autofree gchar *title = wf_profile_entry_get_title(&best->model->entry);
		g_print("%-10s %s %s [%s], %s\n",
			"",
			_("looks like a build for"),
			title,
			best->model->entry.id,
			wf_confidence_to_string(best->confidence));
	}
	wf_cli_print_firmware_line(_("Watch:"), watch->firmware);
	g_print("\n%s\n", wf_cli_verdict_sentence(wf_compat_get_verdict(compat)));
	reasons = wf_compat_get_reasons(compat);
	for (guint i = 0; i < reasons->len; i++) {
		const WfCompatReason *reason = g_ptr_array_index(reasons, i);
		g_print("  %s %s\n", wf_cli_level_tag(reason->level), reason->message);
	}
	return wf_cli_check_status(wf_compat_get_verdict(compat));
}
