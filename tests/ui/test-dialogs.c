/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "wf-preferences-window.h"
#include "wf-ui-test-common.h"

static GtkWindow *
find_toplevel(GType type)
{
	GListModel *toplevels = gtk_window_get_toplevels(); /* transfer none */

	for (guint i = 0; i < g_list_model_get_n_items(toplevels); i++) {
		g_autoptr(GObject) obj = g_list_model_get_item(toplevels, i);
		if (G_TYPE_CHECK_INSTANCE_TYPE(obj, type))
			return GTK_WINDOW(obj);
	}
	return NULL;
}

static void
test_preferences_bindings(void)
{
	g_autoptr(WfApplication) app = wf_ui_test_application_new();
	GSettings *settings = wf_application_get_settings(app);
	GtkWidget *prefs = wf_preferences_window_new(NULL, settings);
	AdwActionRow *verify_row =
		wf_ui_test_child(prefs, WF_TYPE_PREFERENCES_WINDOW, "verify_row");
	AdwComboRow *size_row =
		wf_ui_test_child(prefs, WF_TYPE_PREFERENCES_WINDOW, "flash_size_row");
	AdwComboRow *speed_row =
		wf_ui_test_child(prefs, WF_TYPE_PREFERENCES_WINDOW, "link_speed_row");
	GtkSpinButton *spin =
		wf_ui_test_child(prefs, WF_TYPE_PREFERENCES_WINDOW, "turnaround_spin");
	AdwActionRow *folder_row =
		wf_ui_test_child(prefs, WF_TYPE_PREFERENCES_WINDOW, "folder_row");
	AdwActionRow *da_row = wf_ui_test_child(prefs, WF_TYPE_PREFERENCES_WINDOW, "da_row");
	GtkWidget *reset =
		wf_ui_test_child(prefs, WF_TYPE_PREFERENCES_WINDOW, "folder_reset_button");
	g_autofree gchar *default_folder =
		g_build_filename(g_get_user_data_dir(), "wristflash", "backups", NULL);
	g_autofree gchar *size = NULL;

	gtk_window_present(GTK_WINDOW(prefs));

	/* defaults shown */
	/* verification is not optional: the row says so, nothing switches it off */
	g_assert_nonnull(strstr(adw_action_row_get_subtitle(verify_row), "twice"));
	g_assert_cmpuint(adw_combo_row_get_selected(size_row), ==, 1);	/* 8 MiB */
	g_assert_cmpuint(adw_combo_row_get_selected(speed_row), ==, 1); /* 1 MB/s */
	g_assert_cmpfloat(gtk_spin_button_get_value(spin), ==, 1.0);
	g_assert_cmpstr(adw_action_row_get_subtitle(folder_row), ==, default_folder);
	g_assert_false(gtk_widget_get_visible(reset));
	g_assert_cmpstr(adw_action_row_get_subtitle(da_row), ==, "None chosen");

	/* widgets change the settings */
	adw_combo_row_set_selected(size_row, 2);
	size = g_settings_get_string(settings, "sim-flash-size");
	g_assert_cmpstr(size, ==, "16M");
	adw_combo_row_set_selected(speed_row, 3);
	g_assert_cmpuint(g_settings_get_uint(settings, "sim-link-rate"), ==, 0);
	gtk_spin_button_set_value(spin, 7);
	g_assert_cmpuint(g_settings_get_uint(settings, "sim-turnaround-ms"), ==, 7);

	/* settings change the widgets */
	g_settings_set_uint(settings, "sim-link-rate", 4000000);
	g_assert_cmpuint(adw_combo_row_get_selected(speed_row), ==, 2);
	g_settings_set_uint(settings, "sim-link-rate", 300000); /* not offered: nearest */
	g_assert_cmpuint(adw_combo_row_get_selected(speed_row), ==, 0);
	g_settings_set_string(settings, "backup-folder", "/srv/watch-backups");
	g_assert_cmpstr(adw_action_row_get_subtitle(folder_row), ==, "/srv/watch-backups");
	g_assert_true(gtk_widget_get_visible(reset));
	g_settings_set_string(settings, "da-file", "/srv/MTK_AllInOne_DA.bin");
	g_assert_cmpstr(adw_action_row_get_subtitle(da_row), ==, "/srv/MTK_AllInOne_DA.bin");

	/* the reset button returns to the default folder */
	g_signal_emit_by_name(reset, "clicked");
	g_assert_cmpstr(adw_action_row_get_subtitle(folder_row), ==, default_folder);

	gtk_window_destroy(GTK_WINDOW(prefs));
	wf_ui_test_spin(20);
}

static void
test_preferences_link_speeds(void)
{
	g_assert_cmpuint(wf_preferences_link_speed_to_index(250000), ==, 0);
	g_assert_cmpuint(wf_preferences_link_speed_to_index(1000000), ==, 1);
	g_assert_cmpuint(wf_preferences_link_speed_to_index(0), ==, 3);
	g_assert_cmpuint(wf_preferences_link_speed_to_index(3000000), ==, 2);
	g_assert_cmpuint(wf_preferences_link_speed_to_index(100), ==, 0);
	for (guint i = 0; i < 4; i++)
		g_assert_cmpuint(
			wf_preferences_link_speed_to_index(wf_preferences_link_speed_from_index(i)),
			==,
			i);
}

static void
test_preferences_from_action(void)
{
	g_autoptr(WfApplication) app = wf_ui_test_application_new();
	WfWindow *window = wf_window_new(app);
	GtkWindow *prefs;

	gtk_window_present(GTK_WINDOW(window));
	g_action_group_activate_action(G_ACTION_GROUP(app), "preferences", NULL);
	prefs = find_toplevel(WF_TYPE_PREFERENCES_WINDOW);
	g_assert_nonnull(prefs);
	g_assert_true(gtk_window_get_transient_for(prefs) == GTK_WINDOW(window));
	g_assert_true(gtk_window_get_modal(prefs));
	gtk_window_destroy(prefs);
	wf_ui_test_destroy_window(GTK_WINDOW(window));
}

static void
test_about(void)
{
	g_autoptr(WfApplication) app = wf_ui_test_application_new();
	WfWindow *window = wf_window_new(app);
	GtkWindow *about;

	gtk_window_present(GTK_WINDOW(window));
	g_action_group_activate_action(G_ACTION_GROUP(app), "about", NULL);
	about = find_toplevel(ADW_TYPE_ABOUT_WINDOW);
	g_assert_nonnull(about);
	g_assert_cmpstr(adw_about_window_get_version(ADW_ABOUT_WINDOW(about)), ==, PACKAGE_VERSION);
	g_assert_cmpstr(
		adw_about_window_get_application_name(ADW_ABOUT_WINDOW(about)), ==, "Wristflash");
	g_assert_cmpstr(
		adw_about_window_get_application_icon(ADW_ABOUT_WINDOW(about)), ==, APPLICATION_ID);
	g_assert_cmpint(adw_about_window_get_license_type(ADW_ABOUT_WINDOW(about)),
			==,
			GTK_LICENSE_GPL_3_0);
	gtk_window_destroy(about);
	wf_ui_test_destroy_window(GTK_WINDOW(window));
}

static void
test_shortcuts_window(void)
{
	g_autoptr(WfApplication) app = wf_ui_test_application_new();
	WfWindow *window = wf_window_new(app);
	GtkWindow *overlay;

	/* the help overlay comes from gtk/help-overlay.ui in the resource */
	overlay =
		GTK_WINDOW(gtk_application_window_get_help_overlay(GTK_APPLICATION_WINDOW(window)));
	g_assert_nonnull(overlay);
	g_assert_true(GTK_IS_SHORTCUTS_WINDOW(overlay));
	{
		g_auto(GStrv) backup =
			gtk_application_get_accels_for_action(GTK_APPLICATION(app), "win.backup");
		g_auto(GStrv) prefs = gtk_application_get_accels_for_action(GTK_APPLICATION(app),
									    "app.preferences");
		g_assert_cmpstr(backup[0], ==, "<Control>b");
		g_assert_cmpstr(prefs[0], ==, "<Control>comma");
	}
	wf_ui_test_destroy_window(GTK_WINDOW(window));
}

int
main(int argc, char **argv)
{
	if (!wf_ui_test_init(&argc, &argv))
		return 77;
	g_test_add_func("/ui/preferences/bindings", test_preferences_bindings);
	g_test_add_func("/ui/preferences/link-speeds", test_preferences_link_speeds);
	g_test_add_func("/ui/preferences/from-action", test_preferences_from_action);
	g_test_add_func("/ui/about", test_about);
	g_test_add_func("/ui/shortcuts-window", test_shortcuts_window);
	return g_test_run();
}
