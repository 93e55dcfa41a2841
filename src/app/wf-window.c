/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-window.h"

#include <glib/gi18n.h>

#include "wf-dump.h"
#include "wf-firmware-identity.h"
#include "wf-flash-dialog.h"
#include "wf-profile-db.h"
#include "wf-watch-match.h"

struct _WfWindow {
	AdwApplicationWindow parent_instance;
	AdwToastOverlay *toast_overlay;
	AdwViewStack *view_stack;
	AdwViewSwitcherTitle *switcher_title;
	AdwViewSwitcherBar *switcher_bar;
	GtkWidget *menu_button;
	WfFirmwarePage *firmware_page;
	WfInspectPage *inspect_page;
	WfWatchPage *watch_page;
	WfBackupsPage *backups_page;
	WfLogPage *log_page;

	GSettings *settings;
	WfConnection *connection;
	WfActivityLog *log;
	guint inhibit_cookie; /* 0 also when the session cannot be inhibited */
	gboolean inhibiting;
	gboolean close_confirmed;
	AdwMessageDialog *close_dialog;
	GtkFileChooserNative *export_chooser;
	GtkFileChooserNative *split_chooser;
	gchar *split_source; /* the backup being split */

	WfFirmwareLibrary *library;
	WfFlashHistory *history;
	WfFlashFeedback *feedback;
	WfFlashDialog *flash_dialog; /* (nullable) the one open */
	WfJob *backup_job;	     /* (nullable) the backup running */
	gchar *pending_restore;	     /* restore once the watch is back */
};

G_DEFINE_FINAL_TYPE(WfWindow, wf_window, ADW_TYPE_APPLICATION_WINDOW)

static void
wf_window_toast(WfWindow *self, const gchar *title)
{
	adw_toast_overlay_add_toast(self->toast_overlay, adw_toast_new(title));
}

static void
wf_window_update_actions(WfWindow *self)
{
	WfConnectionState state = wf_connection_get_state(self->connection);
	gboolean busy = wf_connection_is_busy(self->connection);

	gtk_widget_action_set_enabled(
		GTK_WIDGET(self), "win.backup", state == WF_CONNECTION_STATE_CONNECTED && !busy);
	gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.cancel-job", busy);
	gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.flash-package", !busy);
	gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.restore-backup", !busy);
	gtk_widget_action_set_enabled(GTK_WIDGET(self),
				      "win.disconnect",
				      state == WF_CONNECTION_STATE_CONNECTED && !busy);
	gtk_widget_action_set_enabled(GTK_WIDGET(self),
				      "win.simulate",
				      !busy && state != WF_CONNECTION_STATE_CONNECTING &&
					      !(wf_connection_is_virtual(self->connection) &&
						state == WF_CONNECTION_STATE_CONNECTED));
	gtk_widget_action_set_enabled(GTK_WIDGET(self),
				      "win.retry",
				      state == WF_CONNECTION_STATE_ERROR ||
					      state == WF_CONNECTION_STATE_IDLE);
}

static gchar *
wf_window_format_date(GDateTime *created)
{
	g_autoptr(GDateTime) local = NULL;

	if (created == NULL)
		return g_strdup(_("an unknown date"));
	local = g_date_time_to_local(created);
	/* TRANSLATORS: the date of a backup, see g_date_time_format() */
	return g_date_time_format(local, _("%-d %B %Y, %H:%M"));
}

/* the firmware in the watch (from its latest backup's flash image) and the
 * model it looks like, with the evidence */
static void
wf_window_sync_identity(WfWindow *self, WfDeviceInfo *info, WfBackup *latest)
{
	g_autoptr(WfProfileDb) db = wf_profile_db_new();
	g_autoptr(WfWatchFacts) watch = NULL;
	g_autoptr(WfWatchMatch) match = NULL;
	g_autofree gchar *firmware = NULL;
	g_autofree gchar *model = NULL;
	g_autofree gchar *evidence = NULL;
	const WfWatchCandidate *best;

	if (!wf_profile_db_load_default(db, NULL))
		g_debug("device profiles not loaded");
	if (latest != NULL)
		watch = wf_watch_facts_new_from_backup(
			wf_backup_get_dir(latest), wf_profile_db_get_components(db), NULL);
	if (watch == NULL)
		watch = wf_watch_facts_new(_("the watch"));
	wf_watch_facts_set_device_info(watch, info);
	if (watch->firmware != NULL) {
		g_autofree gchar *date = wf_firmware_facts_get_date(watch->firmware);
		/* TRANSLATORS: a firmware version, then its build date */
		firmware = g_strdup_printf(_("%s, built %s"),
					   watch->firmware->verno != NULL ? watch->firmware->verno
									  : _("Unknown version"),
					   date != NULL ? date : _("on an unknown date"));
	} else if (latest == NULL) {
		firmware = g_strdup(_("Known after the first backup"));
	} else {
		firmware = g_strdup(_("Not recognised in the backup"));
	}
	match = wf_watch_match_new(db, watch);
	best = wf_watch_match_get_best(match);
	if (best != NULL) {
		g_autofree gchar *title = wf_profile_entry_get_title(&best->model->entry);
		GString *str = g_string_new(NULL);
		/* TRANSLATORS: a watch model, then how sure (high, medium, low) */
		model = g_strdup_printf(
			_("%s (%s confidence)"), title, wf_confidence_to_string(best->confidence));
		for (guint i = 0; best->evidence != NULL && i < best->evidence->len; i++)
			g_string_append_printf(str,
					       "%s%s",
					       str->len > 0 ? "\n" : "",
					       (const gchar *)g_ptr_array_index(best->evidence, i));
		evidence = g_string_free(str, FALSE);
	} else {
		model = g_strdup(_("No known model matches"));
	}
	wf_watch_page_set_identity(self->watch_page, firmware, model, evidence);
}

/* the backup row on the Watch page tells whether this watch has a way back */
static void
wf_window_sync_backup_state(WfWindow *self)
{
	WfDeviceInfo *info = wf_connection_get_device_info(self->connection);
	const gchar *me_id;
	WfBackup *latest;

	if (info == NULL) {
		wf_firmware_page_set_watch(self->firmware_page, NULL, NULL);
		return;
	}
	me_id = wf_device_info_get_me_id_string(info);
	latest = wf_backups_page_get_latest_for_me_id(self->backups_page, me_id);
	wf_window_sync_identity(self, info, latest);
	wf_firmware_page_set_watch(
		self->firmware_page, info, latest != NULL ? wf_backup_get_dir(latest) : NULL);
	if (latest == NULL) {
		wf_watch_page_set_backup_state(
			self->watch_page,
			FALSE,
			_("No backup of this watch yet"),
			_("A full backup is the way back if anything goes wrong later."));
	} else {
		g_autofree gchar *date = wf_window_format_date(wf_backup_get_created(latest));
		/* TRANSLATORS: %s is a date */
		g_autofree gchar *title = g_strdup_printf(_("Backed up on %s"), date);
		g_autofree gchar *sha = g_strndup(wf_backup_get_sha256(latest), 12);
		/* TRANSLATORS: %s is the start of a SHA-256 hash */
		g_autofree gchar *subtitle = g_strdup_printf(_("SHA-256 %s…"), sha);

		wf_watch_page_set_backup_state(self->watch_page, TRUE, title, subtitle);
	}
}

static gchar *
wf_window_format_flash(WfDeviceInfo *info)
{
	const gchar *part = wf_device_info_get_flash_part(info);
	const gchar *jedec = wf_device_info_get_jedec_id_string(info);

	if (jedec == NULL)
		return g_strdup(_("Not readable"));
	if (part == NULL)
		/* TRANSLATORS: a flash chip nobody has named yet; %s is its JEDEC id */
		return g_strdup_printf(_("Unknown part, JEDEC ID %s"), jedec);
	/* TRANSLATORS: a flash part name and its JEDEC id, e.g. "GD25LQ64 (C86017)" */
	return g_strdup_printf(_("%s (%s)"), part, jedec);
}

static gchar *
wf_window_format_size(WfDeviceInfo *info)
{
	guint32 size = wf_device_info_get_flash_size(info);
	const gchar *method = wf_device_info_get_flash_size_method(info);
	g_autofree gchar *size_str = NULL;

	if (size == 0)
		return g_strdup(_("Unknown"));
	size_str = g_format_size_full(size, G_FORMAT_SIZE_IEC_UNITS);
	if (g_strcmp0(method, WF_DEVICE_INFO_SIZE_METHOD_MIRROR) == 0)
		/* TRANSLATORS: %s is a size, found by looking for where the flash repeats */
		return g_strdup_printf(_("%s (from the memory mirror)"), size_str);
	if (g_strcmp0(method, WF_DEVICE_INFO_SIZE_METHOD_OVERRIDE) == 0)
		/* TRANSLATORS: %s is a size the user gave */
		return g_strdup_printf(_("%s (as given)"), size_str);
	return g_steal_pointer(&size_str);
}

static void
wf_window_show_connected(WfWindow *self)
{
	WfDeviceInfo *info = wf_connection_get_device_info(self->connection);
	g_auto(WfWatchSummary) summary = {NULL};
	const gchar *chip;
	const gchar *path = wf_connection_get_port_path(self->connection);

	if (info == NULL)
		return;
	chip = wf_device_info_get_chip(info);
	/* TRANSLATORS: the heading of a connected watch; %s is a chip, e.g. MT6261DA */
	summary.title = g_strdup_printf(_("%s Watch"), chip != NULL ? chip : _("Unknown"));
	if (wf_connection_is_virtual(self->connection))
		summary.subtitle = g_strdup(_("The virtual watch, simulated by Wristflash"));
	else
		/* TRANSLATORS: %s is a port, e.g. /dev/ttyACM0 */
		summary.subtitle =
			g_strdup_printf(_("Connected through %s"), path != NULL ? path : "?");
	if (wf_device_info_get_chip_known(info))
		summary.chip = g_strdup_printf("%s (0x%04X, %04X)",
					       chip,
					       wf_device_info_get_hw_code(info),
					       wf_device_info_get_hw_version(info));
	else
		summary.chip = g_strdup(chip);
	summary.flash = wf_window_format_flash(info);
	summary.size = wf_window_format_size(info);
	summary.me_id = g_strdup(wf_device_info_get_me_id_string(info));
	wf_watch_page_show_connected(self->watch_page, &summary);
	wf_window_sync_backup_state(self);
}

static void
wf_window_start_restore(WfWindow *self, const gchar *dir);

static void
wf_window_sync_state(WfWindow *self)
{
	const gchar *step = wf_connection_get_step(self->connection);

	switch (wf_connection_get_state(self->connection)) {
	case WF_CONNECTION_STATE_IDLE:
		wf_watch_page_show_waiting(self->watch_page, FALSE);
		break;
	case WF_CONNECTION_STATE_WAITING:
		wf_watch_page_show_waiting(self->watch_page, TRUE);
		break;
	case WF_CONNECTION_STATE_CONNECTING:
		if (g_strcmp0(step, WF_CONNECTION_STEP_IDENTIFY) == 0)
			wf_watch_page_show_connecting(
				self->watch_page,
				WF_WATCH_STEP_IDENTIFY,
				wf_connection_get_port_path(self->connection));
		else if (g_strcmp0(step, WF_CONNECTION_STEP_HANDSHAKE) == 0)
			wf_watch_page_show_connecting(
				self->watch_page,
				WF_WATCH_STEP_HANDSHAKE,
				wf_connection_get_port_path(self->connection));
		else
			wf_watch_page_show_connecting(
				self->watch_page,
				WF_WATCH_STEP_PORT,
				wf_connection_get_port_path(self->connection));
		break;
	case WF_CONNECTION_STATE_CONNECTED:
		wf_window_show_connected(self);
		if (self->pending_restore != NULL && !wf_connection_is_busy(self->connection)) {
			g_autofree gchar *dir = g_steal_pointer(&self->pending_restore);
			wf_window_start_restore(self, dir);
		}
		break;
	case WF_CONNECTION_STATE_ERROR:
		if (wf_connection_get_error(self->connection) != NULL)
			wf_watch_page_show_error(self->watch_page,
						 wf_connection_get_error(self->connection));
		break;
	default:
		break;
	}
	wf_window_update_actions(self);
}

static void
wf_window_connection_notify_cb(WfConnection *connection, GParamSpec *pspec, gpointer user_data)
{
	wf_window_sync_state(WF_WINDOW(user_data));
}

static void
wf_window_uninhibit(WfWindow *self)
{
	GtkApplication *app = gtk_window_get_application(GTK_WINDOW(self));

	if (self->inhibit_cookie != 0 && app != NULL)
		gtk_application_uninhibit(app, self->inhibit_cookie);
	self->inhibit_cookie = 0;
	self->inhibiting = FALSE;
}

static void
wf_window_job_completed_cb(WfJob *job, const GError *error, gpointer user_data)
{
	WfWindow *self = WF_WINDOW(user_data);

	wf_window_uninhibit(self);
	wf_watch_page_set_job(self->watch_page, NULL);
	if (job != self->backup_job) {
		/* a write: the dialog shows how it ended */
		wf_window_update_actions(self);
		if (self->close_confirmed)
			gtk_window_close(GTK_WINDOW(self));
		return;
	}
	g_clear_object(&self->backup_job);
	if (error == NULL) {
		wf_window_toast(self, _("Backup complete"));
		wf_backups_page_reload(self->backups_page);
	} else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		wf_window_toast(self, _("Backup stopped"));
	} else {
		g_autofree gchar *title = NULL;
		wf_watch_page_describe_error(error, &title, NULL);
		wf_window_toast(self, title);
	}
	wf_window_update_actions(self);
	/* the user asked to close once the job stopped */
	if (self->close_confirmed)
		gtk_window_close(GTK_WINDOW(self));
}

/* a job that must not be cut short keeps the session awake */
static void
wf_window_track_job(WfWindow *self, WfJob *job)
{
	GtkApplication *app = gtk_window_get_application(GTK_WINDOW(self));

	if ((wf_job_get_flags(job) & WF_JOB_FLAG_INHIBITS) && !self->inhibiting) {
		self->inhibiting = TRUE;
		/* without a session manager or portal this is 0: nothing to hold */
		if (app != NULL)
			self->inhibit_cookie = gtk_application_inhibit(
				app,
				GTK_WINDOW(self),
				GTK_APPLICATION_INHIBIT_SUSPEND | GTK_APPLICATION_INHIBIT_LOGOUT,
				wf_job_get_title(job));
	}
	g_signal_connect_object(job, "completed", G_CALLBACK(wf_window_job_completed_cb), self, 0);
	wf_watch_page_set_job(self->watch_page, job);
	wf_window_update_actions(self);
}

/**
 * wf_window_is_inhibiting:
 *
 * Returns: whether a job runs that must not be cut short (the session was
 *   asked not to suspend, and closing asks first)
 */
gboolean
wf_window_is_inhibiting(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), FALSE);
	return self->inhibiting;
}

static void
wf_window_backup_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	WfWindow *self = WF_WINDOW(widget);
	g_autofree gchar *folder = wf_application_dup_backup_folder(self->settings);
	g_autoptr(GError) error = NULL;
	WfJob *job;

	job = wf_connection_backup(self->connection, folder, &error);
	if (job == NULL) {
		g_autofree gchar *title = NULL;
		wf_watch_page_describe_error(error, &title, NULL);
		wf_activity_log_add(self->log, WF_ACTIVITY_KIND_PROBLEM, "%s", error->message);
		wf_window_toast(self, title);
		return;
	}
	g_set_object(&self->backup_job, job);
	wf_window_track_job(self, job);
}

static void
wf_window_cancel_job_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	wf_connection_cancel_job(WF_WINDOW(widget)->connection);
}

/**
 * wf_window_start_virtual_watch:
 *
 * Plugs in the virtual watch, configured from the preferences, and
 * connects to it.
 */
void
wf_window_start_virtual_watch(WfWindow *self)
{
	WfSimConfig config;
	g_autofree gchar *size = NULL;

	g_return_if_fail(WF_IS_WINDOW(self));
	if (wf_connection_is_busy(self->connection))
		return;
	wf_sim_config_init(&config);
	config.flash_path = wf_application_dup_virtual_watch_path();
	size = g_settings_get_string(self->settings, "sim-flash-size");
	if (!wf_sim_config_parse_size(size, &config.flash_size, NULL))
		config.flash_size = 0;
	config.rate = g_settings_get_uint(self->settings, "sim-link-rate");
	config.turnaround_us = g_settings_get_uint(self->settings, "sim-turnaround-ms") * 1000;
	wf_connection_start_virtual(self->connection, &config);
	wf_sim_config_clear(&config);
	wf_window_show_page(self, "watch");
}

static void
wf_window_disconnect_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	WfWindow *self = WF_WINDOW(widget);

	wf_activity_log_add(self->log, WF_ACTIVITY_KIND_INFO, _("Let go of the watch."));
	wf_connection_listen(self->connection);
}

static void
wf_window_simulate_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	wf_window_start_virtual_watch(WF_WINDOW(widget));
}

static void
wf_window_retry_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	WfWindow *self = WF_WINDOW(widget);

	if (wf_connection_is_virtual(self->connection))
		wf_window_start_virtual_watch(self);
	else
		wf_connection_listen(self->connection);
}

/* ---- restore, flash, split ------------------------------------------------------------------ */

static void
wf_window_dialog_destroy_cb(GtkWidget *dialog, gpointer user_data)
{
	WfWindow *self = WF_WINDOW(user_data);

	if (self->flash_dialog == WF_FLASH_DIALOG(dialog))
		self->flash_dialog = NULL;
}

static void
wf_window_dialog_job_started_cb(WfFlashDialog *dialog, WfJob *job, gpointer user_data)
{
	wf_window_track_job(WF_WINDOW(user_data), job);
}

static void
wf_window_dialog_backup_requested_cb(WfFlashDialog *dialog, gpointer user_data)
{
	WfWindow *self = WF_WINDOW(user_data);

	wf_window_show_page(self, "watch");
	gtk_widget_activate_action(GTK_WIDGET(self), "win.backup", NULL);
}

static void
wf_window_dialog_revert_requested_cb(WfFlashDialog *dialog, const gchar *dir, gpointer user_data)
{
	WfWindow *self = WF_WINDOW(user_data);

	if (dir != NULL)
		gtk_widget_activate_action(GTK_WIDGET(self), "win.restore-backup", "s", dir);
}

/* after a write the watch restarts out of the boot ROM: catch it again */
static void
wf_window_dialog_write_finished_cb(WfFlashDialog *dialog, gboolean ok, gpointer user_data)
{
	WfWindow *self = WF_WINDOW(user_data);

	wf_firmware_page_reload(self->firmware_page);
	if (!ok || wf_connection_get_state(self->connection) != WF_CONNECTION_STATE_CONNECTED)
		return;
	if (wf_connection_is_virtual(self->connection))
		wf_window_start_virtual_watch(self);
	else
		wf_connection_listen(self->connection);
}

static WfFlashJob *
wf_window_new_flash_job(WfWindow *self, WfFlashJobKind kind)
{
	WfFlashJob *job = wf_flash_job_new(kind);
	g_autofree gchar *folder = wf_application_dup_backup_folder(self->settings);
	g_autofree gchar *da = g_settings_get_string(self->settings, "da-file");

	wf_flash_job_set_backups_folder(job, folder);
	if (da[0] != '\0')
		wf_flash_job_set_da_file(job, da, NULL);
	return job;
}

static WfFlashDialog *
wf_window_open_flash_dialog(WfWindow *self, WfFlashJob *job, const gchar *title)
{
	WfFlashDialog *dialog;

	if (self->flash_dialog != NULL)
		gtk_window_destroy(GTK_WINDOW(self->flash_dialog));
	dialog = wf_flash_dialog_new(
		GTK_WINDOW(self), self->connection, job, self->history, self->feedback, title);
	g_signal_connect_object(
		dialog, "job-started", G_CALLBACK(wf_window_dialog_job_started_cb), self, 0);
	g_signal_connect_object(dialog,
				"backup-requested",
				G_CALLBACK(wf_window_dialog_backup_requested_cb),
				self,
				0);
	g_signal_connect_object(dialog,
				"revert-requested",
				G_CALLBACK(wf_window_dialog_revert_requested_cb),
				self,
				0);
	g_signal_connect_object(
		dialog, "write-finished", G_CALLBACK(wf_window_dialog_write_finished_cb), self, 0);
	g_signal_connect_object(
		dialog, "destroy", G_CALLBACK(wf_window_dialog_destroy_cb), self, 0);
	self->flash_dialog = dialog;
	gtk_window_present(GTK_WINDOW(dialog));
	return dialog;
}

/**
 * wf_window_get_flash_dialog:
 *
 * Returns: (transfer none) (nullable): the restore/flash dialog, while open
 */
WfFlashDialog *
wf_window_get_flash_dialog(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return self->flash_dialog;
}

static gboolean
wf_window_require_watch(WfWindow *self)
{
	if (wf_connection_get_state(self->connection) == WF_CONNECTION_STATE_CONNECTED)
		return TRUE;
	wf_window_toast(self, _("Connect the watch first: switch it off, then plug it in"));
	wf_window_show_page(self, "watch");
	return FALSE;
}

static void
wf_window_flash_package_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	WfWindow *self = WF_WINDOW(widget);
	const gchar *path = g_variant_get_string(parameter, NULL);
	g_autoptr(WfFlashJob) job = NULL;
	g_autofree gchar *basename = g_path_get_basename(path);
	/* TRANSLATORS: a dialog title, %s is a firmware package */
	g_autofree gchar *title = g_strdup_printf(_("Flash %s"), basename);
	WfFlashDialog *dialog;
	WfDeviceInfo *info;

	if (!wf_window_require_watch(self))
		return;
	info = wf_connection_get_device_info(self->connection);
	job = wf_window_new_flash_job(self, WF_FLASH_JOB_KIND_FLASH);
	wf_flash_job_set_package(job, path);
	dialog = wf_window_open_flash_dialog(self, job, title);
	wf_activity_log_add(self->log, WF_ACTIVITY_KIND_INFO, _("Planning to flash %s."), path);
	/* users.md §5 rule 1: no write without a verified backup of this watch */
	if (wf_backups_page_get_latest_for_me_id(self->backups_page,
						 wf_device_info_get_me_id_string(info)) == NULL) {
		wf_flash_dialog_refuse(
			dialog,
			_("Back Up This Watch First"),
			_("There is no verified backup of this watch. It is the only way back if "
			  "the new firmware does not work, so nothing is written without one."),
			TRUE);
		return;
	}
	wf_flash_dialog_start(dialog);
}

static void
wf_window_start_restore(WfWindow *self, const gchar *dir)
{
	g_autoptr(WfFlashJob) job = wf_window_new_flash_job(self, WF_FLASH_JOB_KIND_RESTORE);
	WfFlashDialog *dialog;

	wf_flash_job_set_backup_dir(job, dir);
	dialog = wf_window_open_flash_dialog(self, job, _("Restore a Backup"));
	wf_activity_log_add(self->log, WF_ACTIVITY_KIND_INFO, _("Planning to restore %s."), dir);
	wf_flash_dialog_start(dialog);
}

static void
wf_window_restore_backup_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	WfWindow *self = WF_WINDOW(widget);
	const gchar *dir = g_variant_get_string(parameter, NULL);

	/* right after a write the watch is still coming back: restore then */
	if (wf_connection_get_state(self->connection) != WF_CONNECTION_STATE_CONNECTED) {
		g_free(self->pending_restore);
		self->pending_restore = g_strdup(dir);
		wf_window_toast(self,
				_("The backup is restored as soon as the watch is connected"));
		wf_window_show_page(self, "watch");
		return;
	}
	wf_window_start_restore(self, dir);
}

static void
wf_window_split_response_cb(GtkNativeDialog *dialog, gint response, gpointer user_data)
{
	WfWindow *self = WF_WINDOW(user_data);
	g_autoptr(GFile) parent = NULL;

	if (response == GTK_RESPONSE_ACCEPT)
		parent = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
	if (parent != NULL && self->split_source != NULL) {
		g_autofree gchar *parent_path = g_file_get_path(parent);
		g_autofree gchar *name = g_path_get_basename(self->split_source);
		g_autofree gchar *out = g_build_filename(parent_path, name, NULL);
		g_autoptr(GError) error = NULL;

		if (wf_window_split_backup(self, self->split_source, out, &error)) {
			wf_window_toast(self,
					_("Firmware package written and added to the library"));
		} else {
			wf_activity_log_add(self->log,
					    WF_ACTIVITY_KIND_PROBLEM,
					    _("Could not split the backup: %s"),
					    error->message);
			wf_window_toast(self, _("Could not split the backup"));
		}
	}
	g_clear_pointer(&self->split_source, g_free);
	g_clear_object(&self->split_chooser);
}

/**
 * wf_window_split_backup:
 * @backup_dir: a backup folder (its flash.bin is split)
 * @out_dir: the package folder to create; it must not exist
 *
 * Splits a backup into a firmware package and adds it to the library.
 */
gboolean
wf_window_split_backup(WfWindow *self,
		       const gchar *backup_dir,
		       const gchar *out_dir,
		       GError **error)
{
	g_autofree gchar *image = NULL;
	g_autoptr(WfDump) dump = NULL;

	g_return_val_if_fail(WF_IS_WINDOW(self), FALSE);
	image = g_build_filename(backup_dir, "flash.bin", NULL);
	dump = wf_dump_new_from_file(image, error);
	if (dump == NULL || !wf_dump_split(dump, out_dir, error))
		return FALSE;
	wf_activity_log_add(self->log,
			    WF_ACTIVITY_KIND_SUCCESS,
			    _("Split %s into the firmware package %s."),
			    backup_dir,
			    out_dir);
	return wf_firmware_page_add(self->firmware_page, out_dir, error);
}

static void
wf_window_split_backup_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	WfWindow *self = WF_WINDOW(widget);

	if (self->split_chooser != NULL)
		return;
	self->split_source = g_strdup(g_variant_get_string(parameter, NULL));
	self->split_chooser = gtk_file_chooser_native_new(_("Where to Put the Firmware Package"),
							  GTK_WINDOW(self),
							  GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
							  _("_Split Here"),
							  _("_Cancel"));
	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(self->split_chooser), TRUE);
	g_signal_connect(
		self->split_chooser, "response", G_CALLBACK(wf_window_split_response_cb), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(self->split_chooser));
}

void
wf_window_show_page(WfWindow *self, const gchar *name)
{
	g_return_if_fail(WF_IS_WINDOW(self));
	if (adw_view_stack_get_child_by_name(self->view_stack, name) == NULL) {
		g_warning("no page named %s", name);
		return;
	}
	adw_view_stack_set_visible_child_name(self->view_stack, name);
}

const gchar *
wf_window_get_page(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return adw_view_stack_get_visible_child_name(self->view_stack);
}

static void
wf_window_show_page_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	wf_window_show_page(WF_WINDOW(widget), g_variant_get_string(parameter, NULL));
}

static gchar *
wf_window_build_report(WfWindow *self)
{
	GString *extra = g_string_new(NULL);
	WfDeviceInfo *info = wf_connection_get_device_info(self->connection);
	const GError *error = wf_connection_get_error(self->connection);

	g_string_append_printf(extra,
			       "GTK: %u.%u.%u, libadwaita: %u.%u.%u\n",
			       gtk_get_major_version(),
			       gtk_get_minor_version(),
			       gtk_get_micro_version(),
			       adw_get_major_version(),
			       adw_get_minor_version(),
			       adw_get_micro_version());
	g_string_append_printf(extra,
			       "Watch: %s\n",
			       wf_connection_is_virtual(self->connection) ? "virtual" : "real");
	if (info != NULL) {
		g_autoptr(JsonNode) node = wf_device_info_to_json(info);
		g_autofree gchar *json = json_to_string(node, TRUE);
		g_string_append_printf(extra, "Identity: %s\n", json);
	}
	if (error != NULL) {
		g_autofree gchar *details = wf_watch_page_format_error_details(error);
		g_string_append_printf(extra, "Last error: %s\n", details);
	}
	g_string_truncate(extra, extra->len - 1);
	{
		g_autofree gchar *extra_str = g_string_free(extra, FALSE);
		return wf_activity_log_build_report(self->log, extra_str);
	}
}

/**
 * wf_window_export_report_to_file:
 *
 * Writes the problem report that "Export Report…" saves.
 */
gboolean
wf_window_export_report_to_file(WfWindow *self, GFile *file, GError **error)
{
	g_autofree gchar *report = NULL;

	g_return_val_if_fail(WF_IS_WINDOW(self), FALSE);
	g_return_val_if_fail(G_IS_FILE(file), FALSE);
	report = wf_window_build_report(self);
	return g_file_replace_contents(file,
				       report,
				       strlen(report),
				       NULL,
				       FALSE,
				       G_FILE_CREATE_REPLACE_DESTINATION,
				       NULL,
				       NULL,
				       error);
}

static void
wf_window_export_response_cb(GtkNativeDialog *dialog, gint response, gpointer user_data)
{
	WfWindow *self = WF_WINDOW(user_data);

	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
		g_autoptr(GError) error = NULL;

		if (wf_window_export_report_to_file(self, file, &error)) {
			g_autofree gchar *path = g_file_get_path(file);
			wf_activity_log_add(
				self->log, WF_ACTIVITY_KIND_INFO, _("Saved a report to %s."), path);
			wf_window_toast(self, _("Report saved"));
		} else {
			wf_activity_log_add(self->log,
					    WF_ACTIVITY_KIND_PROBLEM,
					    _("Could not save the report: %s"),
					    error->message);
			wf_window_toast(self, _("Could not save the report"));
		}
	}
	g_clear_object(&self->export_chooser);
}

static void
wf_window_export_report_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	WfWindow *self = WF_WINDOW(widget);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
	g_autofree gchar *name = g_strdup_printf("wristflash-report-%s.txt", stamp);

	if (self->export_chooser != NULL)
		return;
	self->export_chooser = gtk_file_chooser_native_new(_("Export Report"),
							   GTK_WINDOW(self),
							   GTK_FILE_CHOOSER_ACTION_SAVE,
							   _("_Save"),
							   _("_Cancel"));
	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(self->export_chooser), TRUE);
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(self->export_chooser), name);
	g_signal_connect(
		self->export_chooser, "response", G_CALLBACK(wf_window_export_response_cb), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(self->export_chooser));
}

static void
wf_window_copy_log_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	WfWindow *self = WF_WINDOW(widget);
	g_autofree gchar *text = wf_activity_log_to_text(self->log);

	gdk_clipboard_set_text(gtk_widget_get_clipboard(widget), text);
	wf_window_toast(self, _("Copied to the clipboard"));
}

static void
wf_window_open_backup_folder_action(GtkWidget *widget,
				    const gchar *action_name,
				    GVariant *parameter)
{
	WfWindow *self = WF_WINDOW(widget);
	g_autofree gchar *folder = wf_application_dup_backup_folder(self->settings);
	g_autofree gchar *uri = NULL;
	g_autoptr(GError) error = NULL;

	/* the default folder does not exist before the first backup */
	if (g_mkdir_with_parents(folder, 0700) != 0) {
		wf_window_toast(self, _("Could not create the backup folder"));
		return;
	}
	uri = g_filename_to_uri(folder, NULL, NULL);
	if (uri == NULL || !g_app_info_launch_default_for_uri(uri, NULL, &error))
		wf_window_toast(self, _("Could not open the backup folder"));
}

static void
wf_window_reload_backups_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	wf_backups_page_reload(WF_WINDOW(widget)->backups_page);
}

static void
wf_window_backups_changed_cb(WfBackupsPage *page, gpointer user_data)
{
	wf_window_sync_backup_state(WF_WINDOW(user_data));
}

static void
wf_window_settings_changed_cb(GSettings *settings, const gchar *key, gpointer user_data)
{
	WfWindow *self = WF_WINDOW(user_data);

	if (g_strcmp0(key, "backup-folder") == 0) {
		g_autofree gchar *folder = wf_application_dup_backup_folder(settings);
		wf_backups_page_set_folder(self->backups_page, folder);
	}
}

/**
 * wf_window_get_close_dialog:
 *
 * Returns: (transfer none) (nullable): the "stop and close?" question, while shown
 */
AdwMessageDialog *
wf_window_get_close_dialog(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return self->close_dialog;
}

static void
wf_window_close_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	WfWindow *self = WF_WINDOW(user_data);

	self->close_dialog = NULL;
	if (g_strcmp0(response, "stop") != 0)
		return;
	self->close_confirmed = TRUE;
	if (wf_connection_is_busy(self->connection))
		/* closes from wf_window_job_completed_cb once the worker stopped */
		wf_connection_cancel_job(self->connection);
	else
		gtk_window_close(GTK_WINDOW(self));
}

static void
wf_window_save_size(WfWindow *self)
{
	gint width = 0;
	gint height = 0;

	gtk_window_get_default_size(GTK_WINDOW(self), &width, &height);
	g_settings_delay(self->settings);
	if (width > 0 && height > 0) {
		g_settings_set_int(self->settings, "window-width", width);
		g_settings_set_int(self->settings, "window-height", height);
	}
	g_settings_set_boolean(
		self->settings, "window-maximized", gtk_window_is_maximized(GTK_WINDOW(self)));
	g_settings_apply(self->settings);
}

static gboolean
wf_window_close_request(GtkWindow *window)
{
	WfWindow *self = WF_WINDOW(window);
	WfJob *job = wf_connection_get_job(self->connection);

	/* stopping a backup (or later a write) half-way is the user's call */
	if (!self->close_confirmed && job != NULL && !wf_job_is_finished(job) &&
	    (wf_job_get_flags(job) & WF_JOB_FLAG_INHIBITS)) {
		AdwMessageDialog *dialog;

		if (self->close_dialog != NULL)
			return TRUE;
		if (wf_connection_is_writing(self->connection)) {
			dialog = ADW_MESSAGE_DIALOG(adw_message_dialog_new(
				GTK_WINDOW(self),
				_("Stop Writing?"),
				_("The write is not complete. If you close Wristflash now, the "
				  "block being written is finished and the write stops; the "
				  "watch stays in a state your backup can repair.")));
			adw_message_dialog_add_responses(dialog,
							 "cancel",
							 _("_Keep Writing"),
							 "stop",
							 _("_Stop and Close"),
							 NULL);
		} else {
			dialog = ADW_MESSAGE_DIALOG(adw_message_dialog_new(
				GTK_WINDOW(self),
				_("Stop the Backup?"),
				_("The backup is not complete. If you close Wristflash now, "
				  "the backup stops and the part read so far is kept so "
				  "that it can be continued.")));
			adw_message_dialog_add_responses(dialog,
							 "cancel",
							 _("_Keep Backing Up"),
							 "stop",
							 _("_Stop and Close"),
							 NULL);
		}
		adw_message_dialog_set_response_appearance(
			dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
		adw_message_dialog_set_default_response(dialog, "cancel");
		adw_message_dialog_set_close_response(dialog, "cancel");
		g_signal_connect(dialog, "response", G_CALLBACK(wf_window_close_response_cb), self);
		self->close_dialog = dialog;
		gtk_window_present(GTK_WINDOW(dialog));
		return TRUE;
	}
	if (wf_connection_is_busy(self->connection)) {
		/* a job that may be stopped any time: stop it, close when done */
		self->close_confirmed = TRUE;
		wf_connection_cancel_job(self->connection);
		return TRUE;
	}
	wf_window_save_size(self);
	wf_backups_page_flush_deletions(self->backups_page);
	wf_connection_stop(self->connection);
	return GTK_WINDOW_CLASS(wf_window_parent_class)->close_request(window);
}

static void
wf_window_setup_wire_log(WfWindow *self)
{
	g_autofree gchar *dir = g_build_filename(g_get_user_state_dir(), "wristflash", NULL);
	g_autofree gchar *path = g_build_filename(dir, "wire.log", NULL);

	/* kept on disk so it survives a crash; one file per run */
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_debug("cannot create %s", dir);
		return;
	}
	wf_activity_log_set_wire_log_path(self->log, path);
	wf_connection_set_wire_log_path(self->connection, path);
}

static void
wf_window_constructed(GObject *object)
{
	WfWindow *self = WF_WINDOW(object);
	GtkApplication *app = gtk_window_get_application(GTK_WINDOW(self));
	g_autofree gchar *folder = NULL;

	G_OBJECT_CLASS(wf_window_parent_class)->constructed(object);

	self->settings = WF_IS_APPLICATION(app)
				 ? g_object_ref(wf_application_get_settings(WF_APPLICATION(app)))
				 : g_settings_new(APPLICATION_ID);
	gtk_window_set_default_size(GTK_WINDOW(self),
				    g_settings_get_int(self->settings, "window-width"),
				    g_settings_get_int(self->settings, "window-height"));
	if (g_settings_get_boolean(self->settings, "window-maximized"))
		gtk_window_maximize(GTK_WINDOW(self));
	g_signal_connect_object(
		self->settings, "changed", G_CALLBACK(wf_window_settings_changed_cb), self, 0);

	wf_log_page_set_log(self->log_page, self->log);
	{
		g_autoptr(GError) error = NULL;
		self->library = wf_firmware_library_new(NULL);
		if (!wf_firmware_library_load(self->library, &error))
			wf_activity_log_add(self->log,
					    WF_ACTIVITY_KIND_PROBLEM,
					    _("The firmware library could not be read: %s"),
					    error->message);
		self->history = wf_flash_history_new(NULL);
		self->feedback = wf_flash_feedback_new(wf_flash_history_get_dir(self->history));
		wf_firmware_page_setup(
			self->firmware_page, self->library, self->history, self->feedback);
	}
	wf_window_setup_wire_log(self);
	g_signal_connect(
		self->backups_page, "changed", G_CALLBACK(wf_window_backups_changed_cb), self);
	folder = wf_application_dup_backup_folder(self->settings);
	wf_backups_page_set_folder(self->backups_page, folder);

	g_signal_connect(
		self->connection, "notify", G_CALLBACK(wf_window_connection_notify_cb), self);
	wf_activity_log_add(
		self->log, WF_ACTIVITY_KIND_INFO, _("Wristflash %s started."), PACKAGE_VERSION);
	wf_connection_listen(self->connection);
	wf_window_sync_state(self);
}

static void
wf_window_dispose(GObject *object)
{
	WfWindow *self = WF_WINDOW(object);

	wf_window_uninhibit(self);
	if (self->export_chooser != NULL) {
		gtk_native_dialog_destroy(GTK_NATIVE_DIALOG(self->export_chooser));
		g_clear_object(&self->export_chooser);
	}
	if (self->split_chooser != NULL) {
		gtk_native_dialog_destroy(GTK_NATIVE_DIALOG(self->split_chooser));
		g_clear_object(&self->split_chooser);
	}
	if (self->flash_dialog != NULL)
		gtk_window_destroy(GTK_WINDOW(self->flash_dialog));
	g_clear_object(&self->backup_job);
	g_clear_pointer(&self->split_source, g_free);
	g_clear_pointer(&self->pending_restore, g_free);
	if (self->connection != NULL) {
		g_signal_handlers_disconnect_by_data(self->connection, self);
		wf_connection_stop(self->connection);
		g_clear_object(&self->connection);
	}
	/* libadwaita 1.2 frees the switchers' buttons twice when the stack
	 * goes first: let go of the stack while everything is alive */
	if (self->switcher_bar != NULL)
		adw_view_switcher_bar_set_stack(self->switcher_bar, NULL);
	if (self->switcher_title != NULL)
		adw_view_switcher_title_set_stack(self->switcher_title, NULL);
	gtk_widget_dispose_template(GTK_WIDGET(self), WF_TYPE_WINDOW);
	g_clear_object(&self->log);
	g_clear_object(&self->settings);
	g_clear_object(&self->library);
	g_clear_object(&self->history);
	g_clear_object(&self->feedback);
	G_OBJECT_CLASS(wf_window_parent_class)->dispose(object);
}

static void
wf_window_class_init(WfWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	GtkWindowClass *window_class = GTK_WINDOW_CLASS(klass);

	object_class->constructed = wf_window_constructed;
	object_class->dispose = wf_window_dispose;
	window_class->close_request = wf_window_close_request;

	g_type_ensure(WF_TYPE_WATCH_PAGE);
	g_type_ensure(WF_TYPE_BACKUPS_PAGE);
	g_type_ensure(WF_TYPE_LOG_PAGE);
	g_type_ensure(WF_TYPE_FIRMWARE_PAGE);
	g_type_ensure(WF_TYPE_INSPECT_PAGE);
	gtk_widget_class_set_template_from_resource(
		widget_class, "/io/github/wristflash/Wristflash/wf-window.ui");
	gtk_widget_class_bind_template_child(widget_class, WfWindow, toast_overlay);
	gtk_widget_class_bind_template_child(widget_class, WfWindow, view_stack);
	gtk_widget_class_bind_template_child(widget_class, WfWindow, switcher_title);
	gtk_widget_class_bind_template_child(widget_class, WfWindow, switcher_bar);
	gtk_widget_class_bind_template_child(widget_class, WfWindow, menu_button);
	gtk_widget_class_bind_template_child(widget_class, WfWindow, firmware_page);
	gtk_widget_class_bind_template_child(widget_class, WfWindow, inspect_page);
	gtk_widget_class_bind_template_child(widget_class, WfWindow, watch_page);
	gtk_widget_class_bind_template_child(widget_class, WfWindow, backups_page);
	gtk_widget_class_bind_template_child(widget_class, WfWindow, log_page);

	gtk_widget_class_install_action(widget_class, "win.backup", NULL, wf_window_backup_action);
	gtk_widget_class_install_action(
		widget_class, "win.cancel-job", NULL, wf_window_cancel_job_action);
	gtk_widget_class_install_action(
		widget_class, "win.simulate", NULL, wf_window_simulate_action);
	gtk_widget_class_install_action(widget_class, "win.retry", NULL, wf_window_retry_action);
	gtk_widget_class_install_action(
		widget_class, "win.disconnect", NULL, wf_window_disconnect_action);
	gtk_widget_class_install_action(
		widget_class, "win.show-page", "s", wf_window_show_page_action);
	gtk_widget_class_install_action(
		widget_class, "win.export-report", NULL, wf_window_export_report_action);
	gtk_widget_class_install_action(
		widget_class, "win.copy-log", NULL, wf_window_copy_log_action);
	gtk_widget_class_install_action(
		widget_class, "win.open-backup-folder", NULL, wf_window_open_backup_folder_action);
	gtk_widget_class_install_action(
		widget_class, "win.reload-backups", NULL, wf_window_reload_backups_action);
	gtk_widget_class_install_action(
		widget_class, "win.flash-package", "s", wf_window_flash_package_action);
	gtk_widget_class_install_action(
		widget_class, "win.restore-backup", "s", wf_window_restore_backup_action);
	gtk_widget_class_install_action(
		widget_class, "win.split-backup", "s", wf_window_split_backup_action);
}

static void
wf_window_init(WfWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->log = wf_activity_log_new();
	self->connection = wf_connection_new(self->log);
}

WfWindow *
wf_window_new(WfApplication *app)
{
	return g_object_new(WF_TYPE_WINDOW, "application", app, NULL);
}

WfWatchPage *
wf_window_get_watch_page(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return self->watch_page;
}

WfBackupsPage *
wf_window_get_backups_page(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return self->backups_page;
}

WfLogPage *
wf_window_get_log_page(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return self->log_page;
}

WfConnection *
wf_window_get_connection(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return self->connection;
}

WfActivityLog *
wf_window_get_activity_log(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return self->log;
}

WfFirmwarePage *
wf_window_get_firmware_page(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return self->firmware_page;
}

WfInspectPage *
wf_window_get_inspect_page(WfWindow *self)
{
	g_return_val_if_fail(WF_IS_WINDOW(self), NULL);
	return self->inspect_page;
}
