/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-ui-test-common.h"

/* a button follows its action's enabled state */
static gboolean
action_enabled(WfWindow *window, const gchar *button)
{
	return gtk_widget_get_sensitive(
		wf_ui_test_child(wf_window_get_watch_page(window), WF_TYPE_WATCH_PAGE, button));
}

/* the longest the main loop may stall while a backup runs: a UI that
 * freezes for more than this feels broken */
#define MAX_GAP_MS 50

typedef struct {
	WfApplication *app;
	WfWindow *window;
	WfConnection *connection;
	/* main-loop responsiveness */
	gint64 last_tick_us;
	gint64 max_gap_us;
	guint tick_id;
} Fixture;

static gboolean
tick_cb(gpointer user_data)
{
	Fixture *fx = user_data;
	gint64 now = g_get_monotonic_time();

	if (fx->last_tick_us != 0)
		fx->max_gap_us = MAX(fx->max_gap_us, now - fx->last_tick_us);
	fx->last_tick_us = now;
	return G_SOURCE_CONTINUE;
}

static void
measure_start(Fixture *fx)
{
	fx->last_tick_us = 0;
	fx->max_gap_us = 0;
	/* a 5 ms heartbeat: the gap between two beats is how long the main
	 * loop could not run */
	fx->tick_id = g_timeout_add(5, tick_cb, fx);
}

static gdouble
measure_stop(Fixture *fx)
{
	g_clear_handle_id(&fx->tick_id, g_source_remove);
	return fx->max_gap_us / 1000.0;
}

static gboolean
connected_or_failed(gpointer data)
{
	Fixture *fx = data;
	return wf_connection_get_state(fx->connection) == WF_CONNECTION_STATE_CONNECTED ||
	       wf_connection_get_state(fx->connection) == WF_CONNECTION_STATE_ERROR;
}

static gboolean
job_finished(gpointer data)
{
	Fixture *fx = data;
	WfJob *job = wf_connection_get_job(fx->connection);
	return job != NULL && wf_job_is_finished(job);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	GSettings *settings;

	fx->app = wf_ui_test_application_new();
	settings = wf_application_get_settings(fx->app);
	/* a small virtual watch on a quick link, so the test stays short; the
	 * link rate is still limited so the backup takes a while */
	g_settings_set_string(settings, "sim-flash-size", "4M");
	g_settings_set_uint(settings, "sim-link-rate", GPOINTER_TO_UINT(data));
	g_settings_set_uint(settings, "sim-turnaround-ms", 0);
	fx->window = wf_window_new(fx->app);
	fx->connection = wf_window_get_connection(fx->window);
	gtk_window_present(GTK_WINDOW(fx->window));
	wf_ui_test_spin(20);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_clear_handle_id(&fx->tick_id, g_source_remove);
	if (fx->window != NULL)
		wf_ui_test_destroy_window(GTK_WINDOW(fx->window));
	wf_ui_test_spin(20);
	g_clear_object(&fx->app);
}

static void
connect_virtual_watch(Fixture *fx)
{
	WfWatchPage *page = wf_window_get_watch_page(fx->window);
	g_autofree gchar *flash = g_build_filename(
		g_get_user_data_dir(), "wristflash", "virtual-watch", "flash.bin", NULL);

	/* the button on the start page */
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.simulate", NULL);
	g_assert_true(wf_ui_test_wait(connected_or_failed, fx, 30000));
	g_assert_no_error((GError *)wf_connection_get_error(fx->connection));
	g_assert_cmpint(wf_connection_get_state(fx->connection), ==, WF_CONNECTION_STATE_CONNECTED);
	g_assert_true(wf_connection_is_virtual(fx->connection));
	g_assert_cmpstr(wf_watch_page_get_view(page), ==, "connected");
	g_assert_nonnull(strstr(
		gtk_label_get_label(wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "chip_value")),
		"MT6261"));
	g_assert_cmpstr(
		gtk_label_get_label(wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "me_id_value")),
		==,
		wf_device_info_get_me_id_string(wf_connection_get_device_info(fx->connection)));
	/* the virtual watch's flash lives in the user's data folder */
	g_assert_true(g_file_test(flash, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpstr(adw_preferences_row_get_title(
				wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "backup_row")),
			==,
			"No backup of this watch yet");
}

static void
test_backup_by_clicking(Fixture *fx, gconstpointer data)
{
	WfWatchPage *page = wf_window_get_watch_page(fx->window);
	WfBackupsPage *backups = wf_window_get_backups_page(fx->window);
	g_autofree gchar *folder =
		g_build_filename(g_get_user_data_dir(), "wristflash", "backups", NULL);
	GtkWidget *progress_box = wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "progress_box");
	WfJob *job;
	g_autoptr(WfBackup) backup = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *image = NULL;
	const gchar *dir;
	gdouble gap_ms;
	GStatBuf st;

	connect_virtual_watch(fx);
	measure_start(fx);
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.backup", NULL);
	job = wf_connection_get_job(fx->connection);
	g_assert_nonnull(job);
	g_assert_true(wf_job_get_flags(job) & WF_JOB_FLAG_INHIBITS);
	/* while it runs: progress shown, the session kept awake, no second backup */
	g_assert_true(gtk_widget_get_visible(progress_box));
	g_assert_true(wf_window_is_inhibiting(fx->window));
	g_assert_false(action_enabled(fx->window, "backup_button"));
	g_assert_true(wf_ui_test_wait(job_finished, fx, 120000));
	gap_ms = measure_stop(fx);
	g_test_message("backup of 4 MiB took %.2f s; longest main-loop gap %.1f ms",
		       wf_job_get_elapsed(job),
		       gap_ms);
	g_print("# longest main-loop gap during the backup: %.1f ms (limit %d ms), backup %.2f s\n",
		gap_ms,
		MAX_GAP_MS,
		wf_job_get_elapsed(job));
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_SUCCEEDED);
	g_assert_cmpfloat(gap_ms, <, MAX_GAP_MS);
	g_assert_false(wf_window_is_inhibiting(fx->window));
	g_assert_false(gtk_widget_get_visible(progress_box));

	/* one complete backup in the folder, byte for byte the watch's size */
	g_assert_cmpuint(wf_backups_page_get_n_backups(backups), ==, 1);
	backup = g_object_ref(wf_backups_page_get_latest_for_me_id(
		backups,
		wf_device_info_get_me_id_string(wf_connection_get_device_info(fx->connection))));
	dir = wf_backup_get_dir(backup);
	g_assert_true(g_str_has_prefix(dir, folder));
	image = wf_backup_get_image_path(backup);
	g_assert_cmpint(g_stat(image, &st), ==, 0);
	g_assert_cmpint(st.st_size, ==, 4 * 1024 * 1024);
	g_assert_true(wf_backup_verify(backup, NULL, &error));
	g_assert_no_error(error);
	g_assert_nonnull(wf_backups_page_get_row_for_dir(backups, dir));

	/* the Watch page now knows this watch has a way back */
	g_assert_true(g_str_has_prefix(adw_preferences_row_get_title(wf_ui_test_child(
					       page, WF_TYPE_WATCH_PAGE, "backup_row")),
				       "Backed up on "));
	g_assert_true(action_enabled(fx->window, "backup_button"));
}

static gboolean
close_dialog_shown(gpointer data)
{
	return wf_window_get_close_dialog(WF_WINDOW(data)) != NULL;
}

static gboolean
window_gone(gpointer data)
{
	GWeakRef *weak = data;
	g_autoptr(GObject) obj = g_weak_ref_get(weak);
	return obj == NULL;
}

static void
test_close_during_backup(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *folder =
		g_build_filename(g_get_user_data_dir(), "wristflash", "backups", NULL);
	WfJob *job;
	GWeakRef weak;
	g_autoptr(GDir) gdir = NULL;
	const gchar *name;
	gboolean partial = FALSE;

	connect_virtual_watch(fx);
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.backup", NULL);
	job = g_object_ref(wf_connection_get_job(fx->connection));

	/* closing asks first, and "keep backing up" keeps it going */
	gtk_window_close(GTK_WINDOW(fx->window));
	g_assert_true(wf_ui_test_wait(close_dialog_shown, fx->window, 2000));
	adw_message_dialog_response(wf_window_get_close_dialog(fx->window), "cancel");
	wf_ui_test_spin(100);
	g_assert_false(wf_job_is_finished(job));
	g_assert_true(gtk_widget_get_visible(GTK_WIDGET(fx->window)));

	/* "stop and close" stops the backup, then closes */
	gtk_window_close(GTK_WINDOW(fx->window));
	g_assert_true(wf_ui_test_wait(close_dialog_shown, fx->window, 2000));
	g_weak_ref_init(&weak, fx->window);
	adw_message_dialog_response(wf_window_get_close_dialog(fx->window), "stop");
	g_assert_true(wf_ui_test_wait(window_gone, &weak, 30000));
	g_weak_ref_clear(&weak);
	fx->window = NULL;
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_CANCELLED);
	g_object_unref(job);

	/* what was read is kept for a resume, and is not a backup */
	gdir = g_dir_open(folder, 0, NULL);
	g_assert_nonnull(gdir);
	while ((name = g_dir_read_name(gdir)) != NULL) {
		g_assert_true(g_str_has_suffix(name, ".partial"));
		partial = TRUE;
	}
	g_assert_true(partial);
}

static gboolean
some_bytes_verified(gpointer data)
{
	Fixture *fx = data;
	WfJob *job = wf_connection_get_job(fx->connection);
	/* more than one 1 MiB window read twice and kept */
	return job != NULL && wf_job_get_bytes_done(job) > 1024 * 1024;
}

static void
test_resume(Fixture *fx, gconstpointer data)
{
	WfBackupsPage *backups = wf_window_get_backups_page(fx->window);
	WfActivityLog *log = wf_window_get_activity_log(fx->window);
	g_autofree gchar *partial = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	WfJob *job;
	WfBackup *backup;

	connect_virtual_watch(fx);
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.backup", NULL);
	g_assert_true(wf_ui_test_wait(some_bytes_verified, fx, 30000));
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.cancel-job", NULL);
	g_assert_true(wf_ui_test_wait(job_finished, fx, 30000));
	g_assert_cmpint(wf_job_get_state(wf_connection_get_job(fx->connection)),
			==,
			WF_JOB_STATE_CANCELLED);
	g_assert_cmpuint(wf_backups_page_get_n_backups(backups), ==, 0);

	/* Back Up again continues the stopped one instead of starting over */
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.backup", NULL);
	job = wf_connection_get_job(fx->connection);
	g_assert_true(wf_ui_test_wait(job_finished, fx, 60000));
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_SUCCEEDED);
	text = wf_activity_log_to_text(log);
	g_assert_nonnull(strstr(text, "Continuing the stopped backup in "));
	g_assert_cmpuint(wf_backups_page_get_n_backups(backups), ==, 1);
	backup = wf_backups_page_get_latest_for_me_id(
		backups,
		wf_device_info_get_me_id_string(wf_connection_get_device_info(fx->connection)));
	g_assert_nonnull(backup);
	g_assert_true(wf_backup_verify(backup, NULL, &error));
	g_assert_no_error(error);
	partial = g_strconcat(wf_backup_get_dir(backup), WF_BACKUP_PARTIAL_SUFFIX, NULL);
	g_assert_false(g_file_test(partial, G_FILE_TEST_EXISTS));
}

static void
test_disconnect(Fixture *fx, gconstpointer data)
{
	WfWatchPage *page = wf_window_get_watch_page(fx->window);

	connect_virtual_watch(fx);
	g_assert_true(gtk_widget_get_sensitive(
		wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "disconnect_button")));
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.disconnect", NULL);
	/* back to the start page, listening for a real watch */
	g_assert_cmpint(wf_connection_get_state(fx->connection), ==, WF_CONNECTION_STATE_WAITING);
	g_assert_false(wf_connection_is_virtual(fx->connection));
	g_assert_null(wf_connection_get_device_info(fx->connection));
	g_assert_cmpstr(wf_watch_page_get_view(page), ==, "waiting");
	g_assert_false(gtk_widget_get_sensitive(
		wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "disconnect_button")));
}

static void
test_cancel_backup(Fixture *fx, gconstpointer data)
{
	WfJob *job;

	connect_virtual_watch(fx);
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.backup", NULL);
	job = wf_connection_get_job(fx->connection);
	wf_ui_test_spin(200);
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.cancel-job", NULL);
	g_assert_true(wf_ui_test_wait(job_finished, fx, 30000));
	g_assert_cmpint(wf_job_get_state(job), ==, WF_JOB_STATE_CANCELLED);
	/* still connected: the watch is fine, another try is possible */
	g_assert_cmpint(wf_connection_get_state(fx->connection), ==, WF_CONNECTION_STATE_CONNECTED);
	g_assert_cmpuint(
		wf_backups_page_get_n_backups(wf_window_get_backups_page(fx->window)), ==, 0);
}

int
main(int argc, char **argv)
{
	if (!wf_ui_test_init(&argc, &argv))
		return 77;
	/* 4 MB/s: the full backup takes a couple of seconds, long enough for
	 * the main-loop measurement to mean something; 1 MB/s when it must
	 * still run while the test closes or cancels */
	g_test_add("/ui/backup/by-clicking",
		   Fixture,
		   GUINT_TO_POINTER(4000000),
		   fixture_setup,
		   test_backup_by_clicking,
		   fixture_teardown);
	g_test_add("/ui/backup/close-during-backup",
		   Fixture,
		   GUINT_TO_POINTER(1000000),
		   fixture_setup,
		   test_close_during_backup,
		   fixture_teardown);
	g_test_add("/ui/backup/resume",
		   Fixture,
		   GUINT_TO_POINTER(4000000),
		   fixture_setup,
		   test_resume,
		   fixture_teardown);
	g_test_add("/ui/backup/disconnect",
		   Fixture,
		   GUINT_TO_POINTER(0),
		   fixture_setup,
		   test_disconnect,
		   fixture_teardown);
	g_test_add("/ui/backup/cancel",
		   Fixture,
		   GUINT_TO_POINTER(1000000),
		   fixture_setup,
		   test_cancel_backup,
		   fixture_teardown);
	return g_test_run();
}
