/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-error.h"
#include "wf-ui-test-common.h"

/* a button follows its action's enabled state */
static gboolean
action_enabled(WfWindow *window, const gchar *button)
{
	return gtk_widget_get_sensitive(
		wf_ui_test_child(wf_window_get_watch_page(window), WF_TYPE_WATCH_PAGE, button));
}

typedef struct {
	WfApplication *app;
	WfWindow *window;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	fx->app = wf_ui_test_application_new();
	fx->window = wf_window_new(fx->app);
	gtk_window_present(GTK_WINDOW(fx->window));
	wf_ui_test_spin(20);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	wf_ui_test_destroy_window(GTK_WINDOW(fx->window));
	g_clear_object(&fx->app);
}

static const gchar *
status_title(WfWatchPage *page, const gchar *name)
{
	return adw_status_page_get_title(wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, name));
}

static void
test_window_no_watch(Fixture *fx, gconstpointer data)
{
	WfWatchPage *page = wf_window_get_watch_page(fx->window);
	GtkWidget *spinner = wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "listening_spinner");
	GtkWidget *button = wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "virtual_button");

	/* the start page says what to do, and the app already listens */
	g_assert_cmpstr(wf_window_get_page(fx->window), ==, "watch");
	g_assert_cmpstr(wf_watch_page_get_view(page), ==, "waiting");
	g_assert_cmpstr(
		status_title(page, "waiting_status"), ==, "Switch the watch off, then plug it in");
	g_assert_cmpint(wf_connection_get_state(wf_window_get_connection(fx->window)),
			==,
			WF_CONNECTION_STATE_WAITING);
	g_assert_true(gtk_spinner_get_spinning(GTK_SPINNER(spinner)));
	g_assert_true(gtk_widget_get_visible(spinner));
	g_assert_cmpstr(gtk_actionable_get_action_name(GTK_ACTIONABLE(button)), ==, "win.simulate");
	g_assert_true(gtk_widget_is_sensitive(button));
	/* nothing to back up or cancel yet */
	g_assert_false(action_enabled(fx->window, "backup_button"));
	/* the activity log tells what happened */
	g_assert_cmpuint(
		wf_activity_log_get_n_entries(wf_window_get_activity_log(fx->window)), >=, 2);
	g_assert_cmpuint(wf_log_page_get_n_rows(wf_window_get_log_page(fx->window)),
			 ==,
			 wf_activity_log_get_n_entries(wf_window_get_activity_log(fx->window)));
}

static void
test_window_pages(Fixture *fx, gconstpointer data)
{
	const gchar *pages[] = {"backups", "firmware", "inspect", "log", "watch"};

	for (guint i = 0; i < G_N_ELEMENTS(pages); i++) {
		gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.show-page", "s", pages[i]);
		g_assert_cmpstr(wf_window_get_page(fx->window), ==, pages[i]);
	}
	/* the firmware pages start empty, saying what to do */
	g_assert_cmpuint(
		wf_firmware_page_get_n_packages(wf_window_get_firmware_page(fx->window)), ==, 0);
	g_assert_cmpstr(
		wf_inspect_page_get_view(wf_window_get_inspect_page(fx->window)), ==, "empty");
}

static void
test_window_connecting(Fixture *fx, gconstpointer data)
{
	WfWatchPage *page = wf_window_get_watch_page(fx->window);
	GtkListBox *steps = wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "steps_list");
	AdwActionRow *port_row = ADW_ACTION_ROW(gtk_list_box_get_row_at_index(steps, 0));
	AdwActionRow *handshake_row = ADW_ACTION_ROW(gtk_list_box_get_row_at_index(steps, 1));
	AdwActionRow *identify_row = ADW_ACTION_ROW(gtk_list_box_get_row_at_index(steps, 2));

	wf_watch_page_show_connecting(page, WF_WATCH_STEP_HANDSHAKE, "/dev/ttyACM0");
	g_assert_cmpstr(wf_watch_page_get_view(page), ==, "connecting");
	g_assert_cmpstr(
		adw_preferences_row_get_title(ADW_PREFERENCES_ROW(port_row)), ==, "Port found");
	g_assert_cmpstr(adw_action_row_get_subtitle(port_row), ==, "/dev/ttyACM0");
	g_assert_cmpstr(
		adw_preferences_row_get_title(ADW_PREFERENCES_ROW(handshake_row)), ==, "Handshake");
	g_assert_cmpstr(
		adw_preferences_row_get_title(ADW_PREFERENCES_ROW(identify_row)), ==, "Identified");
	/* done, in progress, waiting: for screen readers too */
	gtk_test_accessible_assert_property(port_row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "done");
	gtk_test_accessible_assert_property(
		handshake_row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "in progress");
	gtk_test_accessible_assert_property(
		identify_row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "waiting");

	wf_watch_page_show_connecting(page, WF_WATCH_STEP_IDENTIFY, NULL);
	gtk_test_accessible_assert_property(
		handshake_row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "done");
	gtk_test_accessible_assert_property(
		identify_row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "in progress");
	/* the port stays named while later steps run */
	g_assert_cmpstr(adw_action_row_get_subtitle(port_row), ==, "/dev/ttyACM0");
}

static void
test_window_connected(Fixture *fx, gconstpointer data)
{
	WfWatchPage *page = wf_window_get_watch_page(fx->window);
	g_auto(WfWatchSummary) summary = {NULL};
	GtkWidget *button = wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "backup_button");
	AdwPreferencesRow *backup_row = wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "backup_row");

	summary.title = g_strdup("MT6261DA Watch");
	summary.subtitle = g_strdup("Connected through /dev/ttyACM0");
	summary.chip = g_strdup("MT6261DA (0x6261, CB01)");
	summary.flash = g_strdup("GD25LQ64 (C86017)");
	summary.size = g_strdup("8.0 MiB");
	summary.me_id = g_strdup("00112233445566778899aabbccddeeff");
	wf_watch_page_show_connected(page, &summary);
	g_assert_cmpstr(wf_watch_page_get_view(page), ==, "connected");
	g_assert_cmpstr(
		gtk_label_get_label(wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "chip_value")),
		==,
		"MT6261DA (0x6261, CB01)");
	g_assert_cmpstr(
		gtk_label_get_label(wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "me_id_value")),
		==,
		"00112233445566778899aabbccddeeff");
	/* read from the backup: before one exists, said rather than faked */
	g_assert_cmpstr(
		gtk_label_get_label(wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "firmware_value")),
		==,
		"Known after the first backup");
	g_assert_cmpstr(
		gtk_label_get_label(wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "model_value")),
		==,
		"Known after the first backup");

	/* no backup: Back Up is the suggested action */
	wf_watch_page_set_backup_state(page, FALSE, "No backup of this watch yet", NULL);
	g_assert_cmpstr(
		adw_preferences_row_get_title(backup_row), ==, "No backup of this watch yet");
	g_assert_true(gtk_widget_has_css_class(button, "suggested-action"));
	g_assert_cmpstr(gtk_button_get_label(GTK_BUTTON(button)), ==, "_Back Up");
	g_assert_cmpstr(gtk_actionable_get_action_name(GTK_ACTIONABLE(button)), ==, "win.backup");
	gtk_test_accessible_assert_property(button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Back Up");

	wf_watch_page_set_backup_state(page, TRUE, "Backed up on 26 November 2026, 14:02", NULL);
	g_assert_false(gtk_widget_has_css_class(button, "suggested-action"));
	gtk_test_accessible_assert_property(button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Back Up Again");
}

typedef struct {
	gint code;
	const gchar *message;
	const gchar *title;
	const gchar *fix_part;
} ErrorCase;

static void
test_window_errors(Fixture *fx, gconstpointer data)
{
	WfWatchPage *page = wf_window_get_watch_page(fx->window);
	const ErrorCase cases[] = {
		{WF_ERROR_BUSY,
		 "/dev/ttyACM0 is held by ModemManager (pid 812)",
		 "Another Program Is Using the Port",
		 "sudo systemctl stop ModemManager"},
		{WF_ERROR_BUSY,
		 "/dev/ttyACM0 is held by minicom (pid 99)",
		 "Another Program Is Using the Port",
		 "Close the program named above"},
		{WF_ERROR_PERMISSION_DENIED,
		 "cannot open /dev/ttyACM0: permission denied",
		 "No Permission to Open the Port",
		 "dialout"},
		{WF_ERROR_DEVICE_LOST,
		 "the port vanished before the handshake completed",
		 "The Watch Went Away",
		 "the window is about one second"},
		{WF_ERROR_TIMED_OUT,
		 "handshake: no answer",
		 "The Watch Did Not Answer",
		 "off completely"},
		{WF_ERROR_PROTOCOL,
		 "handshake: got 0x41 instead of 0x5F",
		 "This Is Not the Watch’s Boot Port",
		 "started normally"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error =
			g_error_new_literal(WF_ERROR, cases[i].code, cases[i].message);
		GtkLabel *fix = wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "error_fix");
		GtkLabel *details =
			wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "error_details_label");
		AdwStatusPage *status = wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "error_status");

		wf_watch_page_show_error(page, error);
		g_assert_cmpstr(wf_watch_page_get_view(page), ==, "error");
		g_assert_cmpstr(adw_status_page_get_title(status), ==, cases[i].title);
		/* the specific cause is there, as a sentence */
		g_assert_true(g_str_has_suffix(adw_status_page_get_description(status), "."));
		g_assert_nonnull(
			strstr(adw_status_page_get_description(status), cases[i].message + 1));
		g_assert_nonnull(strstr(gtk_label_get_label(fix), cases[i].fix_part));
		/* and the raw error for a bug report */
		g_assert_nonnull(strstr(gtk_label_get_label(details), cases[i].message));
		g_assert_nonnull(
			strstr(gtk_label_get_label(details), wf_error_to_string(cases[i].code)));
	}
}

static void
test_window_progress_text(void)
{
	g_autofree gchar *s1 = NULL;
	g_autofree gchar *s2 = NULL;
	g_autofree gchar *s3 = NULL;

	s1 = wf_watch_page_format_progress(0, 0, 0, "Reading");
	g_assert_cmpstr(s1, ==, "Reading");
	s2 = wf_watch_page_format_progress(2 * 1048576, 8 * 1048576, 102400, "Reading");
	g_assert_cmpstr(
		s2,
		==,
		"Reading — 2.0\u00a0MiB of 8.0\u00a0MiB, 100.0\u00a0KiB/s, about 1 minute left");
	s3 = wf_watch_page_format_progress(8 * 1048576 - 102400, 8 * 1048576, 102400, NULL);
	g_assert_cmpstr(s3, ==, "7.9\u00a0MiB of 8.0\u00a0MiB, 100.0\u00a0KiB/s, 1 second left");
}

static void
test_window_display_path(void)
{
	g_autofree gchar *inside = g_build_filename(g_get_home_dir(), "Backups", NULL);
	g_autofree gchar *sibling = g_strconcat(g_get_home_dir(), "x/Backups", NULL);
	g_autofree gchar *s1 = wf_application_display_path(inside);
	g_autofree gchar *s2 = wf_application_display_path(sibling);
	g_autofree gchar *s3 = wf_application_display_path("/srv/backups");

	g_assert_cmpstr(s1, ==, "~/Backups");
	g_assert_cmpstr(s2, ==, sibling);
	g_assert_cmpstr(s3, ==, "/srv/backups");
}

static void
test_window_export_report(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *path = g_build_filename(g_get_tmp_dir(), "report.txt", NULL);
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	WfActivityLog *log = wf_window_get_activity_log(fx->window);
	g_autofree gchar *wire_path = NULL;

	wf_activity_log_add(log, WF_ACTIVITY_KIND_PROBLEM, "Something odd: %d", 42);
	/* the wire log is a file the connection writes; add a line of our own */
	wire_path = g_strdup(wf_activity_log_get_wire_log_path(log));
	g_assert_nonnull(wire_path);
	g_assert_true(g_file_set_contents(wire_path, "+    0.000001 >   A0\n", -1, NULL));

	g_assert_true(wf_window_export_report_to_file(fx->window, file, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
	g_assert_true(g_str_has_prefix(contents, "Wristflash " PACKAGE_VERSION " report, "));
	g_assert_nonnull(strstr(contents, "GTK: 4."));
	g_assert_nonnull(strstr(contents, "Wristflash " PACKAGE_VERSION " started."));
	g_assert_nonnull(strstr(contents, "[!] Something odd: 42"));
	g_assert_nonnull(strstr(contents, "== Wire log (end) ==\n+    0.000001 >   A0\n"));
	/* the Log page shows the same entries */
	g_assert_cmpuint(wf_log_page_get_n_rows(wf_window_get_log_page(fx->window)),
			 ==,
			 wf_activity_log_get_n_entries(log));
}

static void
test_window_accessible_labels(Fixture *fx, gconstpointer data)
{
	GtkWidget *menu = wf_ui_test_child(fx->window, WF_TYPE_WINDOW, "menu_button");
	WfWatchPage *page = wf_window_get_watch_page(fx->window);

	gtk_test_accessible_assert_property(menu, GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu");
	gtk_test_accessible_assert_property(
		wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "progress_bar"),
		GTK_ACCESSIBLE_PROPERTY_LABEL,
		"Backup progress");
	gtk_test_accessible_assert_property(
		wf_ui_test_child(page, WF_TYPE_WATCH_PAGE, "steps_list"),
		GTK_ACCESSIBLE_PROPERTY_LABEL,
		"Connection steps");
}

static void
test_window_size_remembered(void)
{
	g_autoptr(WfApplication) app = wf_ui_test_application_new();
	GSettings *settings = wf_application_get_settings(app);
	WfWindow *window;
	gint width = 0;
	gint height = 0;

	g_settings_set_int(settings, "window-width", 700);
	g_settings_set_int(settings, "window-height", 500);
	window = wf_window_new(app);
	gtk_window_get_default_size(GTK_WINDOW(window), &width, &height);
	g_assert_cmpint(width, ==, 700);
	g_assert_cmpint(height, ==, 500);
	gtk_window_present(GTK_WINDOW(window));
	wf_ui_test_spin(50);
	gtk_window_set_default_size(GTK_WINDOW(window), 640, 480);
	/* closing saves the size */
	gtk_window_close(GTK_WINDOW(window));
	g_assert_cmpint(g_settings_get_int(settings, "window-width"), ==, 640);
	g_assert_cmpint(g_settings_get_int(settings, "window-height"), ==, 480);
	wf_ui_test_spin(20);
}

int
main(int argc, char **argv)
{
	if (!wf_ui_test_init(&argc, &argv))
		return 77;
	g_test_add("/ui/window/no-watch",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_window_no_watch,
		   fixture_teardown);
	g_test_add("/ui/window/pages",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_window_pages,
		   fixture_teardown);
	g_test_add("/ui/window/connecting",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_window_connecting,
		   fixture_teardown);
	g_test_add("/ui/window/connected",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_window_connected,
		   fixture_teardown);
	g_test_add("/ui/window/errors",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_window_errors,
		   fixture_teardown);
	g_test_add("/ui/window/export-report",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_window_export_report,
		   fixture_teardown);
	g_test_add("/ui/window/accessible-labels",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_window_accessible_labels,
		   fixture_teardown);
	g_test_add_func("/ui/window/progress-text", test_window_progress_text);
	g_test_add_func("/ui/window/display-path", test_window_display_path);
	g_test_add_func("/ui/window/size-remembered", test_window_size_remembered);
	return g_test_run();
}
