/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wf-cli-session.h"
#include "wf-cli.h"
#include "wf-da-file.h"
#include "wf-da.h"
#include "wf-error.h"
#include "wf-flash-job.h"

/*
 * The commands that write: restore, flash, erase — and da-info, which
 * only reads a Download Agent file. Each write command catches and
 * identifies the watch, prepares a WfFlashJob (inputs checked, plan built
 * and checked, method chosen), prints the plan, stops there for --dry-run,
 * asks on a terminal, then runs it (docs/flashing.md).
 */

/* ---- options shared by the write commands -----------------------------------------------------
 */

static gchar *wf_cli_flash_method = NULL;
static gchar *wf_cli_flash_da = NULL;
static gchar *wf_cli_flash_da_layout = NULL;
static gchar *wf_cli_flash_backup = NULL;
static gchar *wf_cli_flash_da_packet = NULL;
static gboolean wf_cli_flash_dry_run = FALSE;
static gboolean wf_cli_flash_full = FALSE;
static gboolean wf_cli_flash_other_watch = FALSE;
static gboolean wf_cli_flash_no_backup = FALSE;
static gboolean wf_cli_flash_include_fs = FALSE;
static gboolean wf_cli_flash_yes = FALSE;
static gchar *wf_cli_flash_offset = NULL;
static gchar *wf_cli_flash_length = NULL;
static gint wf_cli_flash_timeout_s = WF_CLI_DEFAULT_CATCH_TIMEOUT_S;
static WfFlashJobFlags wf_cli_flash_flags = WF_FLASH_JOB_FLAG_NONE;

static const GOptionEntry wf_cli_flash_common_entries[] = {
	{"method",
	 'm',
	 0,
	 G_OPTION_ARG_STRING,
	 &wf_cli_flash_method,
	 N_("How to write: sfi, da or auto (default: auto, which says why it chose)"),
	 N_("METHOD")},
	{"da",
	 0,
	 0,
	 G_OPTION_ARG_FILENAME,
	 &wf_cli_flash_da,
	 N_("The Download Agent file (default: MTK_AllInOne_DA.bin next to the input or in "
	    "~/.local/share/wristflash/da)"),
	 N_("FILE")},
	{"da-layout",
	 0,
	 0,
	 G_OPTION_ARG_STRING,
	 &wf_cli_flash_da_layout,
	 N_("The layout of a flat DA file: wiz, or stage1=N,stage2=N,…"),
	 N_("LAYOUT")},
	{"da-packet-size",
	 0,
	 0,
	 G_OPTION_ARG_STRING,
	 &wf_cli_flash_da_packet,
	 N_("Bytes per Download Agent packet (default 4K; up to 64K is faster, but not known to "
	    "work with every DA)"),
	 N_("SIZE")},
	{"dry-run",
	 'n',
	 0,
	 G_OPTION_ARG_NONE,
	 &wf_cli_flash_dry_run,
	 N_("Check everything and print the plan, write nothing"),
	 NULL},
	{"yes",
	 'y',
	 0,
	 G_OPTION_ARG_NONE,
	 &wf_cli_flash_yes,
	 N_("Do not ask before writing"),
	 NULL},
	{"timeout",
	 't',
	 0,
	 G_OPTION_ARG_INT,
	 &wf_cli_flash_timeout_s,
	 N_("Seconds to wait for the watch (default 60)"),
	 N_("SECONDS")},
	{NULL},
};

/* the common options followed by a command's own */
static const GOptionEntry *
wf_cli_flash_entries_with(const GOptionEntry *own)
{
	static GOptionEntry merged[32];
	guint n = 0;

	for (guint i = 0; wf_cli_flash_common_entries[i].long_name != NULL; i++)
		merged[n++] = wf_cli_flash_common_entries[i];
	for (guint i = 0; own[i].long_name != NULL && n + 1 < G_N_ELEMENTS(merged); i++)
		merged[n++] = own[i];
	memset(&merged[n], 0, sizeof(merged[n]));
	return merged;
}

static const GOptionEntry wf_cli_restore_entries[] = {
	{"full",
	 0,
	 0,
	 G_OPTION_ARG_NONE,
	 &wf_cli_flash_full,
	 N_("Rewrite every block, not only those that differ"),
	 NULL},
	{"i-understand-this-is-another-watch",
	 0,
	 0,
	 G_OPTION_ARG_NONE,
	 &wf_cli_flash_other_watch,
	 N_("Restore a backup of ANOTHER watch (this watch's IMEI, calibration and pairings "
	    "are kept)"),
	 NULL},
	{"i-have-no-backup-and-accept-the-risk",
	 0,
	 0,
	 G_OPTION_ARG_NONE,
	 &wf_cli_flash_no_backup,
	 N_("With another watch's backup: write although this watch has no backup"),
	 NULL},
	{NULL},
};

static const GOptionEntry wf_cli_flash_entries[] = {
	{"backup",
	 'b',
	 0,
	 G_OPTION_ARG_FILENAME,
	 &wf_cli_flash_backup,
	 N_("The verified backup of this watch (default: found in "
	    "~/.local/share/wristflash/backups by ME ID and flash id)"),
	 N_("DIR")},
	{"i-have-no-backup-and-accept-the-risk",
	 0,
	 0,
	 G_OPTION_ARG_NONE,
	 &wf_cli_flash_no_backup,
	 N_("Write although there is no backup of this watch (nothing could undo it)"),
	 NULL},
	{NULL},
};

static const GOptionEntry wf_cli_erase_entries[] = {
	{"offset",
	 0,
	 0,
	 G_OPTION_ARG_STRING,
	 &wf_cli_flash_offset,
	 N_("Flash offset of the first byte to erase (multiple of 4 KiB, e.g. 0x200000)"),
	 N_("OFFSET")},
	{"length",
	 0,
	 0,
	 G_OPTION_ARG_STRING,
	 &wf_cli_flash_length,
	 N_("How many bytes to erase (multiple of 4 KiB, e.g. 64K)"),
	 N_("LENGTH")},
	{"backup",
	 'b',
	 0,
	 G_OPTION_ARG_FILENAME,
	 &wf_cli_flash_backup,
	 N_("The verified backup of this watch (default: found by ME ID and flash id)"),
	 N_("DIR")},
	{"include-nvram-tail",
	 0,
	 0,
	 G_OPTION_ARG_NONE,
	 &wf_cli_flash_include_fs,
	 N_("Allow erasing the file system (IMEI, calibration, pairings are LOST)"),
	 NULL},
	{NULL},
};

/* ---- output ------------------------------------------------------------------------------------
 */

static void
wf_cli_flash_print_event(WfCli *cli, const gchar *event, WfFlashJob *job)
{
	g_autoptr(JsonNode) root = wf_flash_job_to_json(job);
	json_object_set_string_member(json_node_get_object(root), "event", event);
	wf_cli_print_json(cli, root);
}

static void
wf_cli_flash_print_compat(WfFlashJob *job)
{
	WfCompat *compat = wf_flash_job_get_compat(job);
	GPtrArray *reasons;

	if (compat == NULL)
		return;
	g_print("\n%s %s\n",
		_("Compatibility with this watch:"),
		wf_compat_verdict_to_string(wf_compat_get_verdict(compat)));
	reasons = wf_compat_get_reasons(compat);
	for (guint i = 0; i < reasons->len; i++) {
		const WfCompatReason *reason = g_ptr_array_index(reasons, i);
		g_autofree gchar *tag = g_ascii_strup(wf_compat_level_to_string(reason->level), -1);
		g_print("  [%s] %s\n", tag, reason->message);
	}
}

static void
wf_cli_flash_print_plan(WfCli *cli, WfFlashJob *job)
{
	g_autofree gchar *text = NULL;
	g_autofree gchar *size = NULL;
	GPtrArray *notes = wf_flash_job_get_notes(job);

	if (cli->json) {
		wf_cli_flash_print_event(cli, "plan", job);
		return;
	}
	for (guint i = 0; i < notes->len; i++)
		g_printerr("%s %s\n", _("Note:"), (const gchar *)g_ptr_array_index(notes, i));
	text = wf_flash_plan_to_text(wf_flash_job_get_plan(job));
	g_print("\n%s", text);
	wf_cli_flash_print_compat(job);
	if (wf_flash_job_is_up_to_date(job)) {
		g_print("\n%s\n", _("The watch already holds exactly this: nothing to write."));
		return;
	}
	size = g_format_size_full(wf_flash_job_get_write_size(job), G_FORMAT_SIZE_IEC_UNITS);
	g_print("\n");
	g_print(_("Differing sectors to write: %u piece(s), %s"),
		wf_flash_job_get_writes(job)->len,
		size);
	g_print("\n");
	g_print(_("Method: %s (%s)"),
		wf_flash_method_to_string(wf_flash_job_get_method(job)),
		wf_flash_job_get_method_reason(job));
	g_print("\n");
}

static gboolean
wf_cli_flash_ask(const gchar *question)
{
	gchar answer[16] = {0};

	g_print("%s ", question);
	fflush(stdout);
	if (fgets(answer, sizeof(answer), stdin) == NULL)
		return FALSE;
	return answer[0] == 'y' || answer[0] == 'Y';
}

static gboolean
wf_cli_flash_is_risky(WfFlashJob *job)
{
	WfCompat *compat = wf_flash_job_get_compat(job);
	return compat != NULL && wf_compat_get_verdict(compat) == WF_COMPAT_VERDICT_RISKY;
}

/* users.md §5 rule 5: one explicit confirmation — on a terminal; scripts
 * that got this far with their options have said what they want, except
 * for a risky firmware, which needs --yes */
static gboolean
wf_cli_flash_confirm(WfCli *cli, WfFlashJob *job, GError **error)
{
	gboolean interactive = !cli->json && isatty(STDIN_FILENO);

	if (wf_cli_flash_is_risky(job)) {
		if (wf_cli_flash_yes ||
		    (interactive &&
		     wf_cli_flash_ask(
			     _("This firmware is RISKY on this watch (see above). Write it "
			       "anyway? [y/N]")))) {
			wf_flash_job_set_flags(job,
					       wf_cli_flash_flags | WF_FLASH_JOB_FLAG_ACCEPT_RISKY);
			return TRUE;
		}
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_REFUSED,
				    _("this firmware is RISKY on this watch: nothing was written; "
				      "run again with --yes if you accept that"));
		return FALSE;
	}
	if (wf_cli_flash_yes || !interactive)
		return TRUE;
	if (wf_cli_flash_ask(
		    _("Write this to the watch? Do not unplug it until it is done. [y/N]")))
		return TRUE;
	g_set_error_literal(error, WF_ERROR, WF_ERROR_REFUSED, _("nothing was written"));
	return FALSE;
}

static void
wf_cli_flash_print_done(WfCli *cli, WfFlashJob *job)
{
	g_autofree gchar *size = NULL;
	GPtrArray *notes = wf_flash_job_get_notes(job);

	if (cli->json) {
		wf_cli_flash_print_event(cli, "result", job);
		return;
	}
	size = g_format_size_full(wf_flash_job_get_write_size(job), G_FORMAT_SIZE_IEC_UNITS);
	for (guint i = 0; i < notes->len; i++) {
		const gchar *note = g_ptr_array_index(notes, i);
		if (g_str_has_prefix(note, "the watch was not reset") ||
		    g_str_has_prefix(note, "the history was not updated") ||
		    g_str_has_prefix(note, "switching to SFI"))
			g_printerr("%s %s\n", _("Note:"), note);
	}
	if (wf_flash_job_get_write_size(job) == 0)
		g_print("%s\n", _("Nothing needed writing; the watch was restarted."));
	else
		g_print(_("Written and verified: %s in %.1f s through %s."),
			size,
			wf_flash_job_get_seconds(job),
			wf_flash_method_to_string(wf_flash_job_get_method(job)));
	g_print("\n");
}

static int
wf_cli_flash_fail_run(WfCli *cli, WfFlashJob *job, GError *error)
{
	g_autofree gchar *outcome = wf_flash_job_get_outcome_text(job);

	/* stderr is for people, in --json mode too: this is what they must know */
	if (cli->json)
		wf_cli_flash_print_event(cli, "result", job);
	if (outcome != NULL)
		g_printerr("\n%s\n%s\n", _("The write stopped part-way."), outcome);
	return wf_cli_fail(cli, error);
}

/* ---- the common flow ---------------------------------------------------------------------------
 */

static WfBrom *
wf_cli_flash_reconnect_cb(gpointer user_data, GCancellable *cancellable, GError **error)
{
	WfCliSession *session = user_data;

	if (!session->cli->json)
		g_printerr("%s\n", _("The watch restarts; catching it again…"));
	if (session->brom != NULL)
		wf_transport_close(wf_brom_get_transport(session->brom), NULL);
	g_clear_object(&session->brom);
	if (!wf_cli_session_catch(session, (guint)wf_cli_flash_timeout_s, error))
		return NULL;
	return g_object_ref(session->brom);
}

static gboolean
wf_cli_flash_setup_job(WfCli *cli, WfFlashJob *job, GError **error)
{
	WfFlashMethod method = WF_FLASH_METHOD_AUTO;
	WfFlashJobFlags flags = WF_FLASH_JOB_FLAG_NONE;

	if (!wf_flash_method_from_string(wf_cli_flash_method, &method, error))
		return FALSE;
	wf_flash_job_set_method(job, method);
	if (wf_cli_flash_da_layout != NULL) {
		WfDaFlatLayout layout = {0};
		if (!wf_da_flat_layout_parse(wf_cli_flash_da_layout, &layout, error))
			return FALSE;
		wf_flash_job_set_da_file(job, wf_cli_flash_da, &layout);
	} else {
		wf_flash_job_set_da_file(job, wf_cli_flash_da, NULL);
	}
	if (wf_cli_flash_da_packet != NULL) {
		guint64 size = 0;
		if (!wf_cli_parse_size(wf_cli_flash_da_packet, &size, error))
			return FALSE;
		if (size > WF_DA_MAX_PACKET_SIZE || size % 2 != 0) {
			g_set_error(error,
				    WF_ERROR,
				    WF_ERROR_INVALID_DATA,
				    _("--da-packet-size must be even and at most %u"),
				    (guint)WF_DA_MAX_PACKET_SIZE);
			return FALSE;
		}
		wf_flash_job_set_da_packet_size(job, (guint32)size);
	}
	if (wf_cli_flash_dry_run)
		flags |= WF_FLASH_JOB_FLAG_DRY_RUN;
	if (wf_cli_flash_full)
		flags |= WF_FLASH_JOB_FLAG_FULL;
	if (wf_cli_flash_other_watch)
		flags |= WF_FLASH_JOB_FLAG_OTHER_WATCH;
	if (wf_cli_flash_no_backup)
		flags |= WF_FLASH_JOB_FLAG_NO_BACKUP;
	if (wf_cli_flash_include_fs)
		flags |= WF_FLASH_JOB_FLAG_INCLUDE_FS;
	wf_flash_job_set_flags(job, flags);
	wf_cli_flash_flags = flags;
	if (g_getenv("WF_BACKUPS_DIR") != NULL)
		wf_flash_job_set_backups_folder(job, g_getenv("WF_BACKUPS_DIR"));
	return TRUE;
}

static int
wf_cli_flash_execute(WfCli *cli, WfFlashJob *job)
{
	g_autoptr(WfCliSession) session = NULL;
	g_autoptr(WfProgress) compare = wf_progress_new();
	g_autoptr(WfProgress) write = wf_progress_new();
	g_autoptr(GError) error = NULL;

	if (wf_cli_flash_timeout_s <= 0)
		return wf_cli_usage_error(cli, NULL, _("--timeout must be a positive number"));
	session = wf_cli_session_new(cli, &error);
	if (session == NULL ||
	    !wf_cli_session_catch(session, (guint)wf_cli_flash_timeout_s, &error) ||
	    !wf_cli_session_identify(session, 0, &error))
		return wf_cli_fail(cli, error);
	if (!cli->json)
		g_printerr(_("Watch: %s, ME ID %s, flash %s\n"),
			   wf_device_info_get_chip(session->info),
			   wf_device_info_get_me_id_string(session->info),
			   wf_device_info_has_jedec_id(session->info)
				   ? wf_device_info_get_jedec_id_string(session->info)
				   : "?");
	wf_flash_job_set_device(job, session->brom, session->info);
	wf_flash_job_set_reconnect_func(job, wf_cli_flash_reconnect_cb, session, NULL);

	wf_cli_progress_attach(cli, compare, _("Comparing"));
	if (!wf_flash_job_prepare(job, compare, cli->cancellable, &error)) {
		wf_cli_progress_done(cli);
		return wf_cli_fail(cli, error);
	}
	wf_cli_progress_done(cli);
	wf_cli_flash_print_plan(cli, job);
	if (wf_cli_flash_dry_run) {
		if (cli->json)
			wf_cli_flash_print_event(cli, "result", job);
		else
			g_print("%s\n", _("Dry run: nothing was written."));
		wf_cli_session_finish(session, NULL);
		return WF_CLI_EXIT_OK;
	}
	if (!wf_flash_job_is_up_to_date(job) && !wf_cli_flash_confirm(cli, job, &error)) {
		wf_cli_session_finish(session, NULL);
		return wf_cli_fail(cli, error);
	}
	wf_cli_progress_attach(cli, write, _("Writing"));
	if (!wf_flash_job_run(job, write, cli->cancellable, &error)) {
		wf_cli_progress_done(cli);
		return wf_cli_flash_fail_run(cli, job, error);
	}
	wf_cli_progress_done(cli);
	wf_cli_flash_print_done(cli, job);
	wf_cli_session_finish(session, NULL);
	return WF_CLI_EXIT_OK;
}

/* ---- restore ------------------------------------------------------------------------------------
 */

int
wf_cli_cmd_restore(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfFlashJob) job = wf_flash_job_new(WF_FLASH_JOB_KIND_RESTORE);
	g_autoptr(GError) error = NULL;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "restore",
		    "BACKUP_DIR",
		    _("Writes a verified backup back to the watch it was made from. The backup "
		      "is checked against its SHA-256 and its watch's ME ID and flash id first; "
		      "only the 64 KiB blocks that differ are written (--full: all), each is read "
		      "back and compared, then the watch restarts. This is also how a bricked "
		      "watch is repaired: the boot ROM is always reachable."),
		    wf_cli_flash_entries_with(wf_cli_restore_entries),
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc != 2)
		return wf_cli_usage_error(cli, NULL, _("Say which backup to restore: restore DIR"));
	if (wf_cli_flash_no_backup && !wf_cli_flash_other_watch)
		return wf_cli_usage_error(
			cli,
			NULL,
			_("--i-have-no-backup-and-accept-the-risk only goes with "
			  "--i-understand-this-is-another-watch: a backup of this watch is what "
			  "is being restored"));
	if (!wf_cli_flash_setup_job(cli, job, &error))
		return wf_cli_usage_error(cli, NULL, error->message);
	wf_flash_job_set_backup_dir(job, argv[1]);
	return wf_cli_flash_execute(cli, job);
}

/* ---- flash --------------------------------------------------------------------------------------
 */

int
wf_cli_cmd_flash(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfFlashJob) job = wf_flash_job_new(WF_FLASH_JOB_KIND_FLASH);
	g_autoptr(GError) error = NULL;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "flash",
		    "PACKAGE",
		    _("Writes firmware files to the watch: PACKAGE is a folder with a .cfg and "
		      "its files, a folder of .bin files with GFH headers, or one such file. "
		      "Nothing is written without a verified backup of this watch; the watch's "
		      "own file system (IMEI, calibration, pairings) is never overwritten. Only "
		      "differing sectors are written, each is read back and compared, and the "
		      "flash is recorded in the watch's history."),
		    wf_cli_flash_entries_with(wf_cli_flash_entries),
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc != 2)
		return wf_cli_usage_error(
			cli, NULL, _("Say which firmware to flash: flash PACKAGE"));
	if (!wf_cli_flash_setup_job(cli, job, &error))
		return wf_cli_usage_error(cli, NULL, error->message);
	wf_flash_job_set_package(job, argv[1]);
	wf_flash_job_set_backup_dir(job, wf_cli_flash_backup);
	return wf_cli_flash_execute(cli, job);
}

/* ---- erase --------------------------------------------------------------------------------------
 */

static gboolean
wf_cli_flash_parse_number(const gchar *text, const gchar *what, guint64 *value, GError **error)
{
	if (text == NULL) {
		g_set_error(error, WF_ERROR, WF_ERROR_INVALID_DATA, _("erase needs --%s"), what);
		return FALSE;
	}
	/* an offset may be 0 (the range checks of the job refuse an empty length) */
	return wf_cli_parse_offset(text, value, error);
}

int
wf_cli_cmd_erase(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfFlashJob) job = wf_flash_job_new(WF_FLASH_JOB_KIND_ERASE);
	g_autoptr(GError) error = NULL;
	guint64 offset = 0;
	guint64 length = 0;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "erase",
		    "--offset OFFSET --length LENGTH",
		    _("Advanced: erases whole 4 KiB sectors of the flash. Refused without a "
		      "verified backup of this watch, and never touches the file system (IMEI, "
		      "calibration, pairings) unless --include-nvram-tail is given."),
		    wf_cli_flash_entries_with(wf_cli_erase_entries),
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc > 1)
		return wf_cli_usage_error(
			cli, NULL, _("erase takes no arguments besides its options"));
	if (!wf_cli_flash_parse_number(wf_cli_flash_offset, "offset", &offset, &error) ||
	    !wf_cli_flash_parse_number(wf_cli_flash_length, "length", &length, &error))
		return wf_cli_usage_error(cli, NULL, error->message);
	if (!wf_cli_flash_setup_job(cli, job, &error))
		return wf_cli_usage_error(cli, NULL, error->message);
	wf_flash_job_set_erase_range(job, (guint32)offset, (guint32)length);
	wf_flash_job_set_backup_dir(job, wf_cli_flash_backup);
	return wf_cli_flash_execute(cli, job);
}

/* ---- da-info ------------------------------------------------------------------------------------
 */

static gchar *wf_cli_da_info_layout = NULL;

static const GOptionEntry wf_cli_da_info_entries[] = {
	{"da-layout",
	 0,
	 0,
	 G_OPTION_ARG_STRING,
	 &wf_cli_da_info_layout,
	 N_("The file is a flat DA with this layout: wiz, or stage1=N,stage2=N,…"),
	 N_("LAYOUT")},
	{NULL},
};

static void
wf_cli_da_info_print(WfDaFile *file)
{
	g_print("%s %s\n", _("File:"), wf_da_file_get_path(file));
	g_print("%s %s\n",
		_("Kind:"),
		wf_da_file_get_kind(file) == WF_DA_FILE_KIND_ALL_IN_ONE
			? "MTK_AllInOne_DA container"
			: _("flat (stage 1 + stage 2 + flash table)"));
	if (wf_da_file_get_identifier(file) != NULL && wf_da_file_get_identifier(file)[0] != '\0')
		g_print("%s %s\n", _("Identifier:"), wf_da_file_get_identifier(file));
	if (wf_da_file_get_build(file) != NULL && wf_da_file_get_build(file)[0] != '\0')
		g_print("%s %s\n", _("Build:"), wf_da_file_get_build(file));
	g_print(_("Entries: %u"), wf_da_file_get_n_entries(file));
	g_print("\n");
	for (guint i = 0; i < wf_da_file_get_n_entries(file); i++) {
		const WfDaEntry *entry = wf_da_file_get_entry(file, i);
		const WfDaRegion *stage1 = wf_da_entry_get_stage1(entry);
		const WfDaRegion *stage2 = wf_da_entry_get_stage2(entry);

		g_print("  #%-3u hw 0x%04X sub 0x%04X hw ver 0x%04X sw ver 0x%04X",
			entry->index,
			entry->hw_code,
			entry->hw_sub_code,
			entry->hw_version,
			entry->sw_version);
		if (entry->problem != NULL) {
			g_print("  %s %s\n", _("unusable:"), entry->problem);
			continue;
		}
		if (stage1 != NULL && stage2 != NULL)
			g_print("  stage 1 %u B @0x%08X, stage 2 %u B @0x%08X, %u flash records",
				stage1->length,
				stage1->load_addr,
				stage2->length,
				stage2->load_addr,
				wf_da_file_get_n_flash_records(file, entry));
		g_print("\n");
	}
}

int
wf_cli_cmd_da_info(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfDaFile) file = NULL;
	g_autoptr(GError) error = NULL;
	WfDaFlatLayout layout = {0};
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "da-info",
		    "FILE",
		    _("Lists the entries of a MediaTek Download Agent file: which chips "
		      "it supports, its stages and its flash table. Nothing is sent to "
		      "a watch."),
		    wf_cli_da_info_entries,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (argc != 2)
		return wf_cli_usage_error(cli, NULL, _("Say which file: da-info FILE"));
	if (wf_cli_da_info_layout != NULL &&
	    !wf_da_flat_layout_parse(wf_cli_da_info_layout, &layout, &error))
		return wf_cli_usage_error(cli, NULL, error->message);
	file = wf_da_file_new_from_path(
		argv[1], wf_cli_da_info_layout != NULL ? &layout : NULL, &error);
	if (file == NULL)
		return wf_cli_fail(cli, error);
	if (cli->json) {
		g_autoptr(JsonNode) root = wf_da_file_to_json(file);
		if (JSON_NODE_HOLDS_OBJECT(root))
			json_object_set_string_member(
				json_node_get_object(root), "event", "da-info");
		wf_cli_print_json(cli, root);
	} else {
		wf_cli_da_info_print(file);
	}
	return WF_CLI_EXIT_OK;
}
