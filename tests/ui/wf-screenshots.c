/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-backup.h"
#include "wf-ui-test-common.h"

/*
 * Renders the main window in its main states to PNG files, driving the
 * real window with the virtual watch: tools/screenshots.sh runs it under
 * Xvfb for the README and the metainfo.
 */

static gboolean
wf_screenshots_render(GtkWidget *widget, const gchar *path, GError **error)
{
	g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new(widget);
	g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new();
	g_autoptr(GskRenderNode) node = NULL;
	g_autoptr(GdkTexture) texture = NULL;
	gint width = gtk_widget_get_width(widget);
	gint height = gtk_widget_get_height(widget);
	GskRenderer *renderer = gtk_native_get_renderer(gtk_widget_get_native(widget));

	gdk_paintable_snapshot(paintable, GDK_SNAPSHOT(snapshot), width, height);
	node = gtk_snapshot_to_node(snapshot);
	if (node == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "nothing rendered");
		return FALSE;
	}
	texture = gsk_renderer_render_texture(
		renderer, node, &GRAPHENE_RECT_INIT(0, 0, width, height));
	if (!gdk_texture_save_to_png(texture, path)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
		return FALSE;
	}
	g_print("%s (%dx%d)\n", path, width, height);
	return TRUE;
}

static gboolean
wf_screenshots_connected(gpointer data)
{
	return wf_connection_get_state(WF_CONNECTION(data)) == WF_CONNECTION_STATE_CONNECTED;
}

static gboolean
wf_screenshots_idle(gpointer data)
{
	return !wf_connection_is_busy(WF_CONNECTION(data));
}

static gboolean
wf_screenshots_save(gpointer window, const gchar *dir, const gchar *name)
{
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	/* let animations (crossfades, toasts) settle */
	wf_ui_test_spin(600);
	if (!wf_screenshots_render(GTK_WIDGET(window), path, &error)) {
		g_printerr("%s\n", error->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_screenshots_dialog_settled(gpointer data)
{
	WfFlashDialog *dialog = wf_window_get_flash_dialog(WF_WINDOW(data));
	const gchar *view = dialog != NULL ? wf_flash_dialog_get_view(dialog) : NULL;

	return g_strcmp0(view, "plan") == 0 || g_strcmp0(view, "refused") == 0 ||
	       g_strcmp0(view, "result") == 0;
}

/* the firmware side: the watch's own firmware split into a package (so
 * the library shows a verdict), its plan, and the Inspect page */
static gboolean
wf_screenshots_firmware(WfWindow *window, const gchar *home, const gchar *dir)
{
	WfConnection *connection = wf_window_get_connection(window);
	WfDeviceInfo *info = wf_connection_get_device_info(connection);
	WfBackup *backup = wf_backups_page_get_latest_for_me_id(
		wf_window_get_backups_page(window), wf_device_info_get_me_id_string(info));
	g_autofree gchar *package = g_build_filename(home, "DZ09-firmware", NULL);
	g_autofree gchar *bin = NULL;
	g_autoptr(GError) error = NULL;
	WfFlashDialog *dialog;

	if (backup == NULL) {
		g_printerr("no backup to split\n");
		return FALSE;
	}
	if (!wf_window_split_backup(window, wf_backup_get_dir(backup), package, &error)) {
		g_printerr("%s\n", error->message);
		return FALSE;
	}
	wf_window_show_page(window, "firmware");
	if (!wf_screenshots_save(window, dir, "firmware.png"))
		return FALSE;
	gtk_widget_activate_action(GTK_WIDGET(window), "win.flash-package", "s", package);
	if (!wf_ui_test_wait(wf_screenshots_dialog_settled, window, 60000)) {
		g_printerr("the plan did not show\n");
		return FALSE;
	}
	dialog = wf_window_get_flash_dialog(window);
	if (!wf_screenshots_save(dialog, dir, "plan.png"))
		return FALSE;
	gtk_window_destroy(GTK_WINDOW(dialog));
	wf_ui_test_spin(100);
	bin = g_build_filename(wf_backup_get_dir(backup), "flash.bin", NULL);
	if (!wf_inspect_page_open(wf_window_get_inspect_page(window), bin, &error)) {
		g_printerr("%s\n", error->message);
		return FALSE;
	}
	wf_window_show_page(window, "inspect");
	return wf_screenshots_save(window, dir, "inspect.png");
}

int
main(int argc, char **argv)
{
	g_autoptr(WfApplication) app = NULL;
	WfWindow *window;
	WfConnection *connection;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *home = NULL;
	g_autofree gchar *data_home = NULL;
	const gchar *dir;

	if (argc != 2) {
		g_printerr("usage: %s OUTPUT_DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	/* a fresh home: a new virtual watch, no backups yet, default settings */
	home = g_dir_make_tmp("wf-screenshots-XXXXXX", &error);
	if (home == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	data_home = g_build_filename(home, ".local", "share", NULL);
	g_setenv("HOME", home, TRUE);
	g_setenv("XDG_DATA_HOME", data_home, TRUE);
	g_setenv("XDG_STATE_HOME", data_home, TRUE);
	g_setenv("XDG_CACHE_HOME", data_home, TRUE);
	g_setenv("XDG_CONFIG_HOME", data_home, TRUE);
	g_setenv("GSETTINGS_BACKEND", "memory", TRUE);
	g_setenv("GSETTINGS_SCHEMA_DIR", WF_BUILD_SCHEMA_DIR, TRUE);
	g_setenv("GDK_DEBUG", "default-settings", TRUE);
	g_setenv("LANGUAGE", "C", TRUE);
	/* the components and codes tables, from the source tree */
	g_setenv("WF_DATA_DIR", WF_TEST_DATA_DIR, FALSE);
	if (!gtk_init_check())
		return 77;
	adw_init();
	/* a screenshot must not catch a crossfade half-way */
	g_object_set(gtk_settings_get_default(), "gtk-enable-animations", FALSE, NULL);
	app = wf_ui_test_application_new();
	g_settings_set_int(wf_application_get_settings(app), "window-width", 860);
	g_settings_set_int(wf_application_get_settings(app), "window-height", 640);
	window = wf_window_new(app);
	connection = wf_window_get_connection(window);
	gtk_window_present(GTK_WINDOW(window));

	if (!wf_screenshots_save(window, dir, "waiting.png"))
		return 1;
	wf_window_start_virtual_watch(window);
	if (!wf_ui_test_wait(wf_screenshots_connected, connection, 60000)) {
		g_printerr("the virtual watch did not connect\n");
		return 1;
	}
	if (!wf_screenshots_save(window, dir, "watch.png"))
		return 1;
	/* the virtual watch's default link is as fast as a real one: the
	 * backup takes a while, long enough to show it running */
	gtk_widget_activate_action(GTK_WIDGET(window), "win.backup", NULL);
	wf_ui_test_spin(6000);
	if (!wf_screenshots_save(window, dir, "backing-up.png"))
		return 1;
	if (!wf_ui_test_wait(wf_screenshots_idle, connection, 120000)) {
		g_printerr("the backup did not finish\n");
		return 1;
	}
	wf_ui_test_spin(5500); /* the "Backup complete" toast goes away */
	wf_window_show_page(window, "backups");
	if (!wf_screenshots_save(window, dir, "backups.png"))
		return 1;
	if (!wf_screenshots_firmware(window, home, dir))
		return 1;
	wf_window_show_page(window, "log");
	if (!wf_screenshots_save(window, dir, "log.png"))
		return 1;
	wf_application_show_about(app);
	{
		GListModel *toplevels = gtk_window_get_toplevels();
		for (guint i = 0; i < g_list_model_get_n_items(toplevels); i++) {
			g_autoptr(GtkWindow) about = g_list_model_get_item(toplevels, i);
			if (!ADW_IS_ABOUT_WINDOW(about))
				continue;
			if (!wf_screenshots_save(about, dir, "about.png"))
				return 1;
			gtk_window_destroy(about);
			break;
		}
	}
	wf_application_show_preferences(app);
	{
		GListModel *toplevels = gtk_window_get_toplevels();
		for (guint i = 0; i < g_list_model_get_n_items(toplevels); i++) {
			g_autoptr(GtkWindow) prefs = g_list_model_get_item(toplevels, i);
			if (!ADW_IS_PREFERENCES_WINDOW(prefs))
				continue;
			wf_ui_test_spin(600);
			if (!wf_screenshots_save(prefs, dir, "preferences.png"))
				return 1;
			gtk_window_destroy(prefs);
			break;
		}
	}
	wf_ui_test_destroy_window(GTK_WINDOW(window));
	{
		g_autoptr(GFile) tmp = g_file_new_for_path(home);
		wf_delete_recursive(tmp, NULL, NULL);
	}
	return 0;
}
