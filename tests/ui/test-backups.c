/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-backup-row.h"
#include "wf-ui-test-common.h"

#define ME_ID_A "0123456789abcdef0123456789abcdef"
#define ME_ID_B "fedcba9876543210fedcba9876543210"

static gchar *
backup_folder(void)
{
	return g_build_filename(g_get_user_data_dir(), "wristflash", "backups", NULL);
}

/* a backup folder the way wf_backup_create() leaves it */
static gchar *
make_backup(const gchar *name, const gchar *me_id, const gchar *started, gboolean read_twice)
{
	g_autofree gchar *folder = backup_folder();
	g_autofree gchar *dir = g_build_filename(folder, name, NULL);
	g_autofree gchar *json_path = g_build_filename(dir, "backup.json", NULL);
	g_autofree gchar *image_path = g_build_filename(dir, "flash.bin", NULL);
	g_autofree gchar *json = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	json = g_strdup_printf(
		"{\"format\": 1, \"tool\": \"wristflash test\", \"image\": \"flash.bin\","
		" \"sha256\": \"%s\", \"flash_size\": 8388608, \"me_id\": \"%s\","
		" \"jedec_id\": \"C86017\", \"chip\": \"MT6261DA\","
		" \"method\": \"brom-read32\", \"verification\": \"%s\","
		" \"started\": \"%s\", \"finished\": \"%s\"}",
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		me_id,
		read_twice ? "read-twice" : "none",
		started,
		started);
	g_file_set_contents(json_path, json, -1, &error);
	g_assert_no_error(error);
	g_file_set_contents(image_path, "test", 4, &error);
	g_assert_no_error(error);
	return g_steal_pointer(&dir);
}

typedef struct {
	WfApplication *app;
	WfWindow *window;
	WfBackupsPage *page;
	gchar *dir_a1;
	gchar *dir_a2;
	gchar *dir_b1;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *folder = backup_folder();
	g_autofree gchar *partial = g_build_filename(folder, "MT6261DA-01234567-x.partial", NULL);
	g_autofree gchar *junk = g_build_filename(folder, "holiday-photos", NULL);

	/* isolated dirs are only names: the trash needs a home that exists */
	g_assert_cmpint(g_mkdir_with_parents(g_get_home_dir(), 0700), ==, 0);
	fx->dir_a1 = make_backup("a1", ME_ID_A, "2026-11-20T10:00:00Z", TRUE);
	fx->dir_a2 = make_backup("a2", ME_ID_A, "2026-11-25T10:00:00Z", TRUE);
	fx->dir_b1 = make_backup("b1", ME_ID_B, "2026-11-22T10:00:00Z", FALSE);
	/* neither of these is a complete backup */
	g_assert_cmpint(g_mkdir_with_parents(partial, 0700), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(junk, 0700), ==, 0);

	fx->app = wf_ui_test_application_new();
	fx->window = wf_window_new(fx->app);
	fx->page = wf_window_get_backups_page(fx->window);
	gtk_window_present(GTK_WINDOW(fx->window));
	wf_window_show_page(fx->window, "backups");
	wf_ui_test_spin(20);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	if (fx->window != NULL)
		wf_ui_test_destroy_window(GTK_WINDOW(fx->window));
	wf_ui_test_spin(20);
	g_clear_object(&fx->app);
	g_free(fx->dir_a1);
	g_free(fx->dir_a2);
	g_free(fx->dir_b1);
}

static void
test_backups_grouped(Fixture *fx, gconstpointer data)
{
	GtkWidget *row_a1 = wf_backups_page_get_row_for_dir(fx->page, fx->dir_a1);
	GtkWidget *row_b1 = wf_backups_page_get_row_for_dir(fx->page, fx->dir_b1);
	g_autofree gchar *folder = backup_folder();
	g_autofree gchar *label = NULL;
	WfBackup *latest;

	g_assert_cmpstr(wf_backups_page_get_folder(fx->page), ==, folder);
	g_assert_cmpuint(wf_backups_page_get_n_backups(fx->page), ==, 3);
	g_assert_cmpuint(wf_backups_page_get_n_groups(fx->page), ==, 2);
	g_assert_cmpstr(gtk_stack_get_visible_child_name(
				wf_ui_test_child(fx->page, WF_TYPE_BACKUPS_PAGE, "stack")),
			==,
			"list");
	latest = wf_backups_page_get_latest_for_me_id(fx->page, ME_ID_A);
	g_assert_nonnull(latest);
	g_assert_cmpstr(wf_backup_get_dir(latest), ==, fx->dir_a2);
	g_assert_null(wf_backups_page_get_latest_for_me_id(fx->page, "ffff"));

	/* size, hash prefix and the verified badge */
	g_assert_nonnull(row_a1);
	g_assert_nonnull(row_b1);
	g_assert_cmpstr(adw_action_row_get_subtitle(ADW_ACTION_ROW(row_a1)),
			==,
			"8.0\u00a0MiB · SHA-256 9f86d081884c…");
	g_assert_true(gtk_widget_get_visible(
		wf_ui_test_child(row_a1, WF_TYPE_BACKUP_ROW, "verified_badge")));
	g_assert_false(gtk_widget_get_visible(
		wf_ui_test_child(row_b1, WF_TYPE_BACKUP_ROW, "verified_badge")));
	/* restore and split act on this row's backup */
	g_assert_cmpstr(gtk_actionable_get_action_name(GTK_ACTIONABLE(
				wf_ui_test_child(row_a1, WF_TYPE_BACKUP_ROW, "restore_button"))),
			==,
			"win.restore-backup");
	g_assert_cmpstr(
		g_variant_get_string(
			gtk_actionable_get_action_target_value(GTK_ACTIONABLE(
				wf_ui_test_child(row_a1, WF_TYPE_BACKUP_ROW, "split_button"))),
			NULL),
		==,
		wf_backup_get_dir(wf_backup_row_get_backup(WF_BACKUP_ROW(row_a1))));
	/* icon buttons name the backup they act on */
	label = g_strdup_printf("Delete the backup of %s",
				adw_preferences_row_get_title(ADW_PREFERENCES_ROW(row_a1)));
	gtk_test_accessible_assert_property(
		wf_ui_test_child(row_a1, WF_TYPE_BACKUP_ROW, "delete_button"),
		GTK_ACCESSIBLE_PROPERTY_LABEL,
		label);
}

static GtkWidget *
find_button(GtkWidget *root, const gchar *label, const gchar *icon)
{
	for (GtkWidget *child = gtk_widget_get_first_child(root); child != NULL;
	     child = gtk_widget_get_next_sibling(child)) {
		GtkWidget *found;

		if (GTK_IS_BUTTON(child)) {
			if (label != NULL &&
			    g_strcmp0(gtk_button_get_label(GTK_BUTTON(child)), label) == 0)
				return child;
			if (icon != NULL &&
			    g_strcmp0(gtk_button_get_icon_name(GTK_BUTTON(child)), icon) == 0)
				return child;
		}
		found = find_button(child, label, icon);
		if (found != NULL)
			return found;
	}
	return NULL;
}

static gboolean
toast_button_shown(gpointer data)
{
	Fixture *fx = data;
	GtkWidget *overlay = wf_ui_test_child(fx->window, WF_TYPE_WINDOW, "toast_overlay");
	return find_button(overlay, "_Undo", NULL) != NULL;
}

static void
test_backups_delete_undo(Fixture *fx, gconstpointer data)
{
	GtkWidget *overlay = wf_ui_test_child(fx->window, WF_TYPE_WINDOW, "toast_overlay");
	GtkWidget *row = wf_backups_page_get_row_for_dir(fx->page, fx->dir_b1);
	GtkWidget *undo;

	g_signal_emit_by_name(wf_ui_test_child(row, WF_TYPE_BACKUP_ROW, "delete_button"),
			      "clicked");
	/* gone from the list at once, still on disk while undo is offered */
	g_assert_cmpuint(wf_backups_page_get_n_backups(fx->page), ==, 2);
	g_assert_cmpuint(wf_backups_page_get_n_groups(fx->page), ==, 1);
	g_assert_null(wf_backups_page_get_row_for_dir(fx->page, fx->dir_b1));
	g_assert_true(g_file_test(fx->dir_b1, G_FILE_TEST_IS_DIR));

	g_assert_true(wf_ui_test_wait(toast_button_shown, fx, 2000));
	undo = find_button(overlay, "_Undo", NULL);
	g_signal_emit_by_name(undo, "clicked");
	wf_ui_test_spin(50);
	g_assert_cmpuint(wf_backups_page_get_n_backups(fx->page), ==, 3);
	g_assert_nonnull(wf_backups_page_get_row_for_dir(fx->page, fx->dir_b1));
	g_assert_true(g_file_test(fx->dir_b1, G_FILE_TEST_IS_DIR));
}

static gboolean
dir_gone(gpointer data)
{
	return !g_file_test((const gchar *)data, G_FILE_TEST_EXISTS);
}

static void
test_backups_delete_commit(Fixture *fx, gconstpointer data)
{
	GtkWidget *overlay = wf_ui_test_child(fx->window, WF_TYPE_WINDOW, "toast_overlay");
	GtkWidget *row = wf_backups_page_get_row_for_dir(fx->page, fx->dir_a1);
	g_autofree gchar *trash =
		g_build_filename(g_get_user_data_dir(), "Trash", "files", "a1", NULL);
	GtkWidget *close;

	g_signal_emit_by_name(wf_ui_test_child(row, WF_TYPE_BACKUP_ROW, "delete_button"),
			      "clicked");
	g_assert_true(wf_ui_test_wait(toast_button_shown, fx, 2000));
	/* dismissing the toast is when the deletion happens */
	close = find_button(overlay, NULL, "window-close-symbolic");
	g_assert_nonnull(close);
	g_signal_emit_by_name(close, "clicked");
	g_assert_true(wf_ui_test_wait(dir_gone, fx->dir_a1, 2000));
	/* into the trash, so there is still a way back */
	g_assert_true(g_file_test(trash, G_FILE_TEST_IS_DIR));
	g_assert_cmpuint(wf_backups_page_get_n_backups(fx->page), ==, 2);
	g_assert_true(g_file_test(fx->dir_a2, G_FILE_TEST_IS_DIR));
}

static void
test_backups_delete_on_close(Fixture *fx, gconstpointer data)
{
	GtkWidget *row = wf_backups_page_get_row_for_dir(fx->page, fx->dir_a2);

	g_signal_emit_by_name(wf_ui_test_child(row, WF_TYPE_BACKUP_ROW, "delete_button"),
			      "clicked");
	g_assert_true(g_file_test(fx->dir_a2, G_FILE_TEST_IS_DIR));
	/* the user asked for it: closing the window carries it out */
	gtk_window_close(GTK_WINDOW(fx->window));
	fx->window = NULL;
	g_assert_false(g_file_test(fx->dir_a2, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(fx->dir_a1, G_FILE_TEST_IS_DIR));
}

static void
test_backups_empty(void)
{
	g_autoptr(WfApplication) app = wf_ui_test_application_new();
	WfWindow *window = wf_window_new(app);
	WfBackupsPage *page = wf_window_get_backups_page(window);
	AdwStatusPage *status = wf_ui_test_child(page, WF_TYPE_BACKUPS_PAGE, "empty_status");
	g_autofree gchar *folder = backup_folder();

	g_assert_cmpuint(wf_backups_page_get_n_backups(page), ==, 0);
	g_assert_cmpstr(gtk_stack_get_visible_child_name(
				wf_ui_test_child(page, WF_TYPE_BACKUPS_PAGE, "stack")),
			==,
			"empty");
	g_assert_cmpstr(adw_status_page_get_title(status), ==, "No Backups Yet");
	g_assert_nonnull(strstr(adw_status_page_get_description(status), folder));
	wf_ui_test_destroy_window(GTK_WINDOW(window));
}

static void
test_backups_folder_setting(Fixture *fx, gconstpointer data)
{
	GSettings *settings = wf_application_get_settings(fx->app);
	g_autofree gchar *other = g_build_filename(g_get_tmp_dir(), "elsewhere", NULL);

	g_assert_cmpint(g_mkdir_with_parents(other, 0700), ==, 0);
	g_settings_set_string(settings, "backup-folder", other);
	g_assert_cmpstr(wf_backups_page_get_folder(fx->page), ==, other);
	g_assert_cmpuint(wf_backups_page_get_n_backups(fx->page), ==, 0);
	g_settings_reset(settings, "backup-folder");
	g_assert_cmpuint(wf_backups_page_get_n_backups(fx->page), ==, 3);
}

static void
test_delete_recursive(void)
{
	g_autofree gchar *dir = g_build_filename(g_get_tmp_dir(), "tree", "a", "b", NULL);
	g_autofree gchar *top = g_build_filename(g_get_tmp_dir(), "tree", NULL);
	g_autofree gchar *file = g_build_filename(dir, "f", NULL);
	g_autoptr(GFile) gfile = g_file_new_for_path(top);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_assert_true(g_file_set_contents(file, "x", 1, NULL));
	g_assert_true(wf_delete_recursive(gfile, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(top, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
	if (!wf_ui_test_init(&argc, &argv))
		return 77;
	g_test_add("/ui/backups/grouped",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_backups_grouped,
		   fixture_teardown);
	g_test_add("/ui/backups/delete-undo",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_backups_delete_undo,
		   fixture_teardown);
	g_test_add("/ui/backups/delete-commit",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_backups_delete_commit,
		   fixture_teardown);
	g_test_add("/ui/backups/delete-on-close",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_backups_delete_on_close,
		   fixture_teardown);
	g_test_add("/ui/backups/folder-setting",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_backups_folder_setting,
		   fixture_teardown);
	g_test_add_func("/ui/backups/empty", test_backups_empty);
	g_test_add_func("/ui/backups/delete-recursive", test_delete_recursive);
	return g_test_run();
}
