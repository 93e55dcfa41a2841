/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-cli-session.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "wf-catcher.h"
#include "wf-error.h"
#include "wf-sim-config.h"

/* ---- the virtual watch for --simulate -------------------------------------------------------- */

static gchar *
wf_cli_sim_default_flash_path(void)
{
	const gchar *env = g_getenv("WF_SIM_FLASH");
	if (env != NULL && env[0] != '\0')
		return g_strdup(env);
	return g_build_filename(
		g_get_user_data_dir(), "wristflash", "virtual-watch", "flash.bin", NULL);
}

static gboolean
wf_cli_sim_env_uint(const gchar *name, guint *value, GError **error)
{
	const gchar *text = g_getenv(name);
	guint64 parsed = 0;

	if (text == NULL || text[0] == '\0')
		return TRUE;
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT, &parsed, error)) {
		g_prefix_error(error, "%s: ", name);
		return FALSE;
	}
	*value = (guint)parsed;
	return TRUE;
}

/* The embedded virtual watch: defaults model a real one (USB full speed, 1 ms
 * turnaround); WF_SIM_* variables change them for demos and tests. */
static WfSimWatch *
wf_cli_sim_new(GError **error)
{
	WfSimConfig config;
	g_autofree gchar *dir = NULL;
	WfSimWatch *watch;
	const gchar *size = g_getenv("WF_SIM_SIZE");

	wf_sim_config_init(&config);
	config.flash_path = wf_cli_sim_default_flash_path();
	config.faults = g_strdup(g_getenv("WF_SIM_FAULTS"));
	if (size != NULL && !wf_sim_config_parse_size(size, &config.flash_size, error)) {
		wf_sim_config_clear(&config);
		return NULL;
	}
	if (!wf_cli_sim_env_uint("WF_SIM_RATE", &config.rate, error) ||
	    !wf_cli_sim_env_uint("WF_SIM_TURNAROUND_US", &config.turnaround_us, error)) {
		wf_sim_config_clear(&config);
		return NULL;
	}
	dir = g_path_get_dirname(config.flash_path);
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		g_autofree gchar *what = g_strdup_printf("create %s", dir);
		wf_error_convert_errno(error, errno, what);
		wf_sim_config_clear(&config);
		return NULL;
	}
	watch = wf_sim_watch_new(&config, error);
	wf_sim_config_clear(&config);
	if (watch == NULL)
		g_prefix_error(error, "cannot start the virtual watch: ");
	return watch;
}

static WfTransport *
wf_cli_sim_open_port(gpointer user_data, GError **error)
{
	return wf_sim_watch_open_port(WF_SIM_WATCH(user_data), error);
}

/* ---- session ----------------------------------------------------------------------------------
 */

WfCliSession *
wf_cli_session_new(WfCli *cli, GError **error)
{
	g_autoptr(WfCliSession) session = g_new0(WfCliSession, 1);

	session->cli = cli;
	session->first_write_delay_us = -1;
	if (cli->wire_log != NULL) {
		session->wire_log = wf_wire_log_new_for_path(cli->wire_log, error);
		if (session->wire_log == NULL)
			return NULL;
	}
	if (cli->simulate) {
		session->sim = wf_cli_sim_new(error);
		if (session->sim == NULL)
			return NULL;
	}
	return g_steal_pointer(&session);
}

void
wf_cli_session_free(WfCliSession *session)
{
	if (session == NULL)
		return;
	g_clear_object(&session->info);
	g_clear_object(&session->brom);
	if (session->sim != NULL) {
		g_autoptr(GError) error = NULL;
		if (!wf_sim_watch_sync(session->sim, &error))
			g_warning("virtual watch: %s", error->message);
		wf_sim_watch_shutdown(session->sim);
		g_object_unref(session->sim);
	}
	if (session->wire_log != NULL) {
		wf_wire_log_flush(session->wire_log, NULL);
		g_object_unref(session->wire_log);
	}
	g_free(session->port_path);
	g_free(session);
}

static void
wf_cli_session_emit_step(WfCliSession *session, const gchar *step, const gchar *port)
{
	WfCli *cli = session->cli;

	if (cli->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "event");
		json_builder_add_string_value(builder, "step");
		json_builder_set_member_name(builder, "step");
		json_builder_add_string_value(builder, step);
		if (port != NULL) {
			json_builder_set_member_name(builder, "port");
			json_builder_add_string_value(builder, port);
		}
		json_builder_end_object(builder);
		wf_cli_print_json_builder(cli, builder);
		return;
	}
	if (g_strcmp0(step, "waiting") == 0) {
		g_printerr("%s\n",
			   cli->simulate
				   ? _("Waiting for the virtual watch…")
				   : _("Waiting for the watch: switch it off, then plug it in…"));
	} else if (g_strcmp0(step, "port-found") == 0) {
		g_printerr(_("Port found: %s"), port != NULL ? port : "?");
		g_printerr("\n");
	} else if (g_strcmp0(step, "caught") == 0) {
		g_printerr("%s\n", _("Handshake done: the boot ROM is listening."));
	}
}

static void
wf_cli_session_step_changed_cb(WfCatcher *catcher,
			       guint step,
			       const gchar *path,
			       gpointer user_data)
{
	WfCliSession *session = user_data;

	/* "handshaking" is too short-lived to be worth a line */
	if (step == WF_CATCHER_STEP_HANDSHAKING)
		return;
	wf_cli_session_emit_step(session, wf_catcher_step_to_string(step), path);
}

/**
 * wf_cli_session_catch:
 * @session: the session
 * @timeout_s: how long to wait for the watch
 * @error: (out): return location
 *
 * Waits for the watch and completes the boot ROM handshake.
 */
gboolean
wf_cli_session_catch(WfCliSession *session, guint timeout_s, GError **error)
{
	g_autoptr(WfCatcher) catcher = wf_catcher_new();
	WfCli *cli = session->cli;

	if (session->sim != NULL) {
		wf_catcher_set_opener(
			catcher, wf_cli_sim_open_port, g_object_ref(session->sim), g_object_unref);
		wf_sim_watch_plug_in(session->sim);
	} else if (cli->port != NULL) {
		wf_catcher_set_path(catcher, cli->port);
	}
	if (session->wire_log != NULL)
		wf_catcher_set_wire_log(catcher, session->wire_log);
	g_signal_connect(
		catcher, "step-changed", G_CALLBACK(wf_cli_session_step_changed_cb), session);
	session->brom = wf_catcher_catch(catcher, timeout_s * 1000, cli->cancellable, error);
	if (session->brom == NULL)
		return FALSE;
	session->port_path = g_strdup(wf_catcher_get_port_path(catcher));
	session->first_write_delay_us = wf_catcher_get_first_write_delay_us(catcher);
	return TRUE;
}

gboolean
wf_cli_session_identify(WfCliSession *session, guint32 flash_size_override, GError **error)
{
	g_return_val_if_fail(session->brom != NULL, FALSE);
	return wf_device_info_identify(session->brom,
				       flash_size_override,
				       &session->info,
				       session->cli->cancellable,
				       error);
}

/* Leaves the watch in its boot ROM: it stays reachable until unplugged, and
 * a real watch boots normally when plugged in again. */
gboolean
wf_cli_session_finish(WfCliSession *session, GError **error)
{
	if (session->brom != NULL)
		return wf_transport_close(wf_brom_get_transport(session->brom), error);
	return TRUE;
}

/* ---- progress ---------------------------------------------------------------------------------
 */

typedef struct {
	WfCli *cli;
	gchar *operation;
	gint64 last_print_us;
	gboolean printed_line;
	gboolean printed_complete;
} WfCliProgressPrinter;

static WfCliProgressPrinter *wf_cli_progress_printer = NULL;

static gchar *
wf_cli_format_duration(gdouble seconds)
{
	guint s = (guint)(seconds + 0.5);
	if (seconds < 0)
		return g_strdup("--:--");
	if (s >= 3600)
		return g_strdup_printf("%u:%02u:%02u", s / 3600, (s / 60) % 60, s % 60);
	return g_strdup_printf("%u:%02u", s / 60, s % 60);
}

static void
wf_cli_progress_print(WfCliProgressPrinter *printer, WfProgress *progress, gboolean final)
{
	guint64 done = wf_progress_get_bytes_done(progress);
	guint64 total = wf_progress_get_bytes_total(progress);
	gdouble rate = wf_progress_get_rate(progress);
	/* the user cares about bytes of flash, not about step weights */
	gdouble fraction = total > 0 ? (gdouble)done / total : wf_progress_get_fraction(progress);

	if (printer->cli->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "event");
		json_builder_add_string_value(builder, "progress");
		json_builder_set_member_name(builder, "operation");
		json_builder_add_string_value(builder, printer->operation);
		json_builder_set_member_name(builder, "step");
		json_builder_add_string_value(builder, wf_progress_get_step_id(progress));
		json_builder_set_member_name(builder, "bytes");
		json_builder_add_int_value(builder, (gint64)done);
		json_builder_set_member_name(builder, "total");
		json_builder_add_int_value(builder, (gint64)total);
		json_builder_set_member_name(builder, "fraction");
		json_builder_add_double_value(builder, fraction);
		json_builder_set_member_name(builder, "rate");
		json_builder_add_double_value(builder, rate);
		json_builder_set_member_name(builder, "eta");
		json_builder_add_double_value(builder, wf_progress_get_eta_seconds(progress));
		json_builder_end_object(builder);
		wf_cli_print_json_builder(printer->cli, builder);
	} else {
		g_autofree gchar *done_str = g_format_size_full(done, G_FORMAT_SIZE_IEC_UNITS);
		g_autofree gchar *total_str = g_format_size_full(total, G_FORMAT_SIZE_IEC_UNITS);
		g_autofree gchar *rate_str =
			g_format_size_full((guint64)rate, G_FORMAT_SIZE_IEC_UNITS);
		g_autofree gchar *eta =
			wf_cli_format_duration(wf_progress_get_eta_seconds(progress));
		gboolean tty = isatty(STDERR_FILENO);

		/* on a terminal one line is redrawn; in a log, one line per update */
		g_printerr("%s%s: %s / %s (%3.0f%%), %s/s, %s %s%s",
			   tty ? "\r\033[K" : "",
			   printer->operation,
			   done_str,
			   total_str,
			   fraction * 100,
			   rate_str,
			   _("ETA"),
			   eta,
			   tty && !final ? "" : "\n");
		printer->printed_line = tty && !final;
	}
}

static void
wf_cli_progress_changed_cb(WfProgress *progress, gpointer user_data)
{
	WfCliProgressPrinter *printer = user_data;
	gint64 now = g_get_monotonic_time();
	gint64 interval = printer->cli->json || isatty(STDERR_FILENO) ? 250000 : 2000000;

	guint64 total = wf_progress_get_bytes_total(progress);
	gboolean complete = wf_progress_get_bytes_done(progress) >= total;

	if (total == 0 || (complete && printer->printed_complete))
		return;
	if (now - printer->last_print_us < interval && !complete)
		return;
	printer->printed_complete = complete;
	printer->last_print_us = now;
	wf_cli_progress_print(printer, progress, FALSE);
}

/**
 * wf_cli_progress_attach:
 * @cli: the CLI state
 * @progress: the operation's progress
 * @operation: a word for the user and the JSON "operation" member
 *
 * Prints bytes, percent, rate and ETA while @progress changes.
 */
void
wf_cli_progress_attach(WfCli *cli, WfProgress *progress, const gchar *operation)
{
	WfCliProgressPrinter *printer = g_new0(WfCliProgressPrinter, 1);

	printer->cli = cli;
	printer->operation = g_strdup(operation);
	wf_cli_progress_done(cli);
	wf_cli_progress_printer = printer;
	g_signal_connect(progress, "changed", G_CALLBACK(wf_cli_progress_changed_cb), printer);
}

void
wf_cli_progress_done(WfCli *cli)
{
	WfCliProgressPrinter *printer = wf_cli_progress_printer;

	if (printer == NULL)
		return;
	if (printer->printed_line)
		g_printerr("\n");
	wf_cli_progress_printer = NULL;
	g_free(printer->operation);
	g_free(printer);
}

/* "8M", "8MiB", "64K", "0x800000", "4194304"; 0 only when @allow_zero */
static gboolean
wf_cli_parse_number(const gchar *text, gboolean allow_zero, guint64 *size, GError **error)
{
	g_autofree gchar *lower = g_ascii_strdown(text, -1);
	guint64 multiplier = 1;
	gchar *end = NULL;
	guint64 value;

	g_strstrip(lower);
	if (g_str_has_suffix(lower, "mib") || g_str_has_suffix(lower, "m")) {
		multiplier = 1024 * 1024;
		*strrchr(lower, 'm') = '\0';
	} else if (g_str_has_suffix(lower, "kib") || g_str_has_suffix(lower, "k")) {
		multiplier = 1024;
		*strrchr(lower, 'k') = '\0';
	}
	value = g_ascii_strtoull(lower, &end, 0);
	if (end == lower || *end != '\0' || (value == 0 && !allow_zero) ||
	    value > G_MAXUINT32 / multiplier) {
		g_set_error(error,
			    WF_ERROR,
			    WF_ERROR_INVALID_DATA,
			    _("“%s” is not a size (try 4M, 8M, 16M or 0x800000)"),
			    text);
		return FALSE;
	}
	*size = value * multiplier;
	return TRUE;
}

/**
 * wf_cli_parse_size:
 * @text: "8M", "8MiB", "0x800000", "4194304"
 * @size: (out): bytes, never 0
 * @error: (out): return location
 */
gboolean
wf_cli_parse_size(const gchar *text, guint64 *size, GError **error)
{
	return wf_cli_parse_number(text, FALSE, size, error);
}

/**
 * wf_cli_parse_offset:
 * @text: as for wf_cli_parse_size(), and 0 is allowed
 * @offset: (out): bytes
 * @error: (out): return location
 */
gboolean
wf_cli_parse_offset(const gchar *text, guint64 *offset, GError **error)
{
	return wf_cli_parse_number(text, TRUE, offset, error);
}
