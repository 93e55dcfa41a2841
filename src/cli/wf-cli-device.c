/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "wf-backup.h"
#include "wf-cli-session.h"
#include "wf-cli.h"
#include "wf-error.h"
#include "wf-host-doctor.h"
#include "wf-port-enumerator.h"

/* ---- ports ------------------------------------------------------------------------------------
 */

int
wf_cli_cmd_ports(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfPortEnumerator) enumerator = wf_port_enumerator_new();
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error = NULL;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "ports",
		    NULL,
		    _("Lists serial ports that could be a watch in boot-ROM mode (USB "
		      "0E8D:0003 first), with the programs that hold them open."),
		    NULL,
		    &argc,
		    &argv,
		    &status))
		return status;
	ports = wf_port_enumerator_list(enumerator, &error);
	if (ports == NULL)
		return wf_cli_fail(cli, error);
	if (cli->json) {
		g_autoptr(JsonArray) array = json_array_new();
		g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
		g_autoptr(JsonObject) object = json_object_new();
		for (guint i = 0; i < ports->len; i++)
			json_array_add_element(array,
					       wf_port_info_to_json(g_ptr_array_index(ports, i)));
		json_object_set_array_member(object, "ports", g_steal_pointer(&array));
		json_node_set_object(root, object);
		wf_cli_print_json(cli, root);
		return WF_CLI_EXIT_OK;
	}
	if (ports->len == 0) {
		g_print("%s\n",
			_("No serial ports found. A watch shows up only for about a second "
			  "after it is plugged in while switched off: use “wristflash-cli wait”."));
		return WF_CLI_EXIT_OK;
	}
	for (guint i = 0; i < ports->len; i++) {
		g_autofree gchar *line = wf_port_info_to_string(g_ptr_array_index(ports, i));
		g_print("%s\n", line);
	}
	return WF_CLI_EXIT_OK;
}

/* ---- doctor -----------------------------------------------------------------------------------
 */

int
wf_cli_cmd_doctor(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfHostDoctor) doctor = wf_host_doctor_new();
	g_autoptr(GError) error = NULL;
	GPtrArray *checks;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "doctor",
		    NULL,
		    _("Checks what stands between this computer and a watch: ModemManager, "
		      "the udev rule, permissions, programs holding the port. Exits with "
		      "status 1 when something will get in the way."),
		    NULL,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (!wf_host_doctor_run(doctor, cli->cancellable, &error))
		return wf_cli_fail(cli, error);
	if (cli->json) {
		g_autoptr(JsonNode) root = wf_host_doctor_to_json(doctor);
		wf_cli_print_json(cli, root);
	} else {
		checks = wf_host_doctor_get_checks(doctor);
		for (guint i = 0; i < checks->len; i++) {
			WfHostCheck *check = g_ptr_array_index(checks, i);
			g_print("[%s] %s: %s\n",
				wf_host_check_verdict_to_string(check->verdict),
				check->title,
				check->detail);
			if (check->fix != NULL && check->verdict != WF_HOST_CHECK_VERDICT_OK)
				g_print("    %s %s\n", _("Fix:"), check->fix);
		}
	}
	return wf_host_doctor_get_verdict(doctor) == WF_HOST_CHECK_VERDICT_PROBLEM
		       ? WF_CLI_EXIT_ERROR
		       : WF_CLI_EXIT_OK;
}

/* ---- wait -------------------------------------------------------------------------------------
 */

static gint wf_cli_timeout_s = WF_CLI_DEFAULT_CATCH_TIMEOUT_S;

/* wait, info and backup share these options; one definition keeps their help alike */
#define WF_CLI_TIMEOUT_ENTRY                                                                       \
	{                                                                                          \
		"timeout", 't', 0, G_OPTION_ARG_INT, &wf_cli_timeout_s,                            \
			N_("Seconds to wait for the watch (default 60)"), N_("SECONDS")            \
	}

static const GOptionEntry wf_cli_wait_entries[] = {
	WF_CLI_TIMEOUT_ENTRY,
	{NULL},
};

int
wf_cli_cmd_wait(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfCliSession) session = NULL;
	g_autoptr(GError) error = NULL;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "wait",
		    NULL,
		    _("Waits for a watch in boot-ROM mode and completes the handshake. "
		      "Start it, then plug the switched-off watch in."),
		    wf_cli_wait_entries,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (wf_cli_timeout_s <= 0)
		return wf_cli_usage_error(cli, NULL, _("--timeout must be a positive number"));
	session = wf_cli_session_new(cli, &error);
	if (session == NULL || !wf_cli_session_catch(session, (guint)wf_cli_timeout_s, &error))
		return wf_cli_fail(cli, error);
	if (cli->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "event");
		json_builder_add_string_value(builder, "caught");
		json_builder_set_member_name(builder, "port");
		json_builder_add_string_value(builder, session->port_path);
		json_builder_set_member_name(builder, "first_write_delay_us");
		json_builder_add_int_value(builder, session->first_write_delay_us);
		json_builder_end_object(builder);
		wf_cli_print_json_builder(cli, builder);
	} else {
		g_print(_("Caught the watch on %s"), session->port_path);
		if (session->first_write_delay_us >= 0)
			g_print(_(" (first handshake byte %.1f ms after the port appeared)"),
				session->first_write_delay_us / 1000.0);
		g_print("\n");
	}
	if (!wf_cli_session_finish(session, &error))
		return wf_cli_fail(cli, error);
	return WF_CLI_EXIT_OK;
}

/* ---- info -------------------------------------------------------------------------------------
 */

static gchar *wf_cli_flash_size_text = NULL;

#define WF_CLI_FLASH_SIZE_ENTRY                                                                    \
	{                                                                                          \
		"flash-size", 0, 0, G_OPTION_ARG_STRING, &wf_cli_flash_size_text,                  \
			N_("Use this flash size instead of detecting it (4M, 8M, 16M)"),           \
			N_("SIZE")                                                                 \
	}

static const GOptionEntry wf_cli_info_entries[] = {
	WF_CLI_TIMEOUT_ENTRY,
	WF_CLI_FLASH_SIZE_ENTRY,
	{NULL},
};

static gboolean
wf_cli_flash_size_override(guint32 *size, GError **error)
{
	guint64 value = 0;

	*size = 0;
	if (wf_cli_flash_size_text == NULL)
		return TRUE;
	if (!wf_cli_parse_size(wf_cli_flash_size_text, &value, error))
		return FALSE;
	*size = (guint32)value;
	return TRUE;
}

static void
wf_cli_print_device_info(WfDeviceInfo *info, const gchar *port)
{
	g_autofree gchar *size = NULL;
	const gchar *part = wf_device_info_get_flash_part(info);

	g_print("%-10s %s (hw code 0x%04X, hw version 0x%04X, sw version 0x%04X, sub code "
		"0x%04X)\n",
		_("Chip:"),
		wf_device_info_get_chip(info),
		wf_device_info_get_hw_code(info),
		wf_device_info_get_hw_version(info),
		wf_device_info_get_sw_version(info),
		wf_device_info_get_hw_subcode(info));
	g_print("%-10s %s %u, %s 0x%08X\n",
		_("Boot ROM:"),
		_("version"),
		wf_device_info_get_brom_version(info),
		_("target config"),
		wf_device_info_get_target_config(info));
	g_print("%-10s %s\n", _("ME ID:"), wf_device_info_get_me_id_string(info));
	if (wf_device_info_get_flash_size(info) > 0)
		size = g_format_size_full(wf_device_info_get_flash_size(info),
					  G_FORMAT_SIZE_IEC_UNITS);
	g_print("%-10s %s%s%s, %s (%s %s)\n",
		_("Flash:"),
		wf_device_info_has_jedec_id(info) ? wf_device_info_get_jedec_id_string(info)
						  : _("JEDEC id unknown"),
		part != NULL ? " " : "",
		part != NULL ? part : "",
		size != NULL ? size : _("size unknown"),
		_("size from"),
		wf_device_info_get_flash_size_method(info));
	g_print("%-10s %s\n", _("Port:"), port);
}

int
wf_cli_cmd_info(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfCliSession) session = NULL;
	g_autoptr(GError) error = NULL;
	guint32 flash_size = 0;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "info",
		    NULL,
		    _("Identifies the watch through its boot ROM: chip, boot ROM version, "
		      "ME ID, and the flash chip's JEDEC id and size read through the "
		      "serial-flash controller. Nothing is written to the flash."),
		    wf_cli_info_entries,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (!wf_cli_flash_size_override(&flash_size, &error))
		return wf_cli_usage_error(cli, NULL, error->message);
	session = wf_cli_session_new(cli, &error);
	if (session == NULL || !wf_cli_session_catch(session, (guint)wf_cli_timeout_s, &error) ||
	    !wf_cli_session_identify(session, flash_size, &error))
		return wf_cli_fail(cli, error);
	if (cli->json) {
		g_autoptr(JsonNode) root = wf_device_info_to_json(session->info);
		JsonObject *object = json_node_get_object(root);
		json_object_set_string_member(object, "event", "info");
		json_object_set_string_member(object, "port", session->port_path);
		wf_cli_print_json(cli, root);
	} else {
		wf_cli_print_device_info(session->info, session->port_path);
	}
	if (!wf_cli_session_finish(session, &error))
		return wf_cli_fail(cli, error);
	return WF_CLI_EXIT_OK;
}

/* ---- backup -----------------------------------------------------------------------------------
 */

static gchar *wf_cli_backup_dir = NULL;
static gboolean wf_cli_backup_resume = FALSE;

static const GOptionEntry wf_cli_backup_entries[] = {
	{"output",
	 'o',
	 0,
	 G_OPTION_ARG_FILENAME,
	 &wf_cli_backup_dir,
	 N_("The backup folder to create (it must not exist)"),
	 N_("DIR")},
	{"resume",
	 0,
	 0,
	 G_OPTION_ARG_NONE,
	 &wf_cli_backup_resume,
	 N_("Continue the interrupted backup DIR.partial"),
	 NULL},
	WF_CLI_TIMEOUT_ENTRY,
	WF_CLI_FLASH_SIZE_ENTRY,
	{NULL},
};

static void
wf_cli_backup_print_result(WfCli *cli, WfBackup *backup)
{
	JsonObject *record = wf_backup_get_record(backup);

	if (cli->json) {
		g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
		g_autoptr(JsonObject) object = json_object_new();
		json_object_set_string_member(object, "event", "backup-complete");
		json_object_set_string_member(object, "dir", wf_backup_get_dir(backup));
		json_object_set_member(
			object, "record", json_node_init_object(json_node_alloc(), record));
		json_node_set_object(root, object);
		wf_cli_print_json(cli, root);
	} else {
		g_autofree gchar *size = g_format_size_full(wf_backup_get_flash_size(backup),
							    G_FORMAT_SIZE_IEC_UNITS);
		JsonObject *link = json_object_get_object_member(record, "link");
		g_print(_("Backup complete and verified: %s"), wf_backup_get_dir(backup));
		g_print("\n  %s %s, SHA-256 %s\n",
			_("flash.bin:"),
			size,
			wf_backup_get_sha256(backup));
		if (link != NULL)
			g_print(_("  read twice in %.1f s; %u chunk(s) had to be read again\n"),
				json_object_get_double_member_with_default(link, "seconds", 0),
				(guint)json_object_get_int_member_with_default(
					link, "chunks_reread", 0));
	}
}

static void
wf_cli_backup_copy_wire_log(WfCli *cli, WfBackup *backup)
{
	g_autoptr(GFile) src = NULL;
	g_autoptr(GFile) dst = NULL;
	g_autofree gchar *dst_path = NULL;
	g_autoptr(GError) error = NULL;

	if (cli->wire_log == NULL)
		return;
	src = g_file_new_for_path(cli->wire_log);
	dst_path = g_build_filename(wf_backup_get_dir(backup), "wire.log", NULL);
	dst = g_file_new_for_path(dst_path);
	if (!g_file_copy(src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
		g_printerr("%s %s\n",
			   _("Warning: the wire log was not kept with the backup:"),
			   error->message);
}

int
wf_cli_cmd_backup(WfCli *cli, int argc, char **argv)
{
	g_autoptr(WfCliSession) session = NULL;
	g_autoptr(WfProgress) progress = wf_progress_new();
	g_autoptr(WfBackup) backup = NULL;
	g_autoptr(GError) error = NULL;
	guint32 flash_size = 0;
	int status = WF_CLI_EXIT_OK;

	if (!wf_cli_parse_options(
		    cli,
		    "backup",
		    "-o DIR",
		    _("Makes a verified full-flash backup through the boot ROM, with no "
		      "Download Agent. Every part of the flash is read twice and compared. "
		      "The folder is written as DIR.partial and renamed to DIR only when "
		      "complete; an interrupted backup continues with --resume. Existing "
		      "backups are never overwritten."),
		    wf_cli_backup_entries,
		    &argc,
		    &argv,
		    &status))
		return status;
	if (wf_cli_backup_dir == NULL)
		return wf_cli_usage_error(cli, NULL, _("Say where the backup goes: backup -o DIR"));
	if (argc > 1)
		return wf_cli_usage_error(
			cli, NULL, _("backup takes no arguments besides its options"));
	if (!wf_cli_flash_size_override(&flash_size, &error))
		return wf_cli_usage_error(cli, NULL, error->message);
	session = wf_cli_session_new(cli, &error);
	if (session == NULL || !wf_cli_session_catch(session, (guint)wf_cli_timeout_s, &error) ||
	    !wf_cli_session_identify(session, flash_size, &error))
		return wf_cli_fail(cli, error);
	if (!cli->json)
		wf_cli_print_device_info(session->info, session->port_path);
	wf_cli_progress_attach(cli, progress, _("Backup"));
	backup =
		wf_backup_create(session->brom,
				 session->info,
				 wf_cli_backup_dir,
				 wf_cli_backup_resume ? WF_BACKUP_FLAG_RESUME : WF_BACKUP_FLAG_NONE,
				 progress,
				 cli->cancellable,
				 &error);
	wf_cli_progress_done(cli);
	if (backup == NULL) {
		g_autofree gchar *partial =
			g_strconcat(wf_cli_backup_dir, WF_BACKUP_PARTIAL_SUFFIX, NULL);
		if (g_file_test(partial, G_FILE_TEST_IS_DIR) &&
		    !g_error_matches(error, WF_ERROR, WF_ERROR_EXISTS) &&
		    !g_error_matches(error, WF_ERROR, WF_ERROR_REFUSED))
			g_prefix_error(&error,
				       _("the backup is incomplete (what was verified is kept in "
					 "%s; continue with --resume): "),
				       partial);
		return wf_cli_fail(cli, error);
	}
	if (session->wire_log != NULL)
		wf_wire_log_flush(session->wire_log, NULL);
	wf_cli_backup_copy_wire_log(cli, backup);
	wf_cli_backup_print_result(cli, backup);
	if (!wf_cli_session_finish(session, &error))
		return wf_cli_fail(cli, error);
	return WF_CLI_EXIT_OK;
}
