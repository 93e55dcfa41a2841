/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wf-backup.h"
#include "wf-dump.h"
#include "wf-sim-image.h"
#include "wf-ui-test-common.h"

/*
 * The firmware side of the application on the virtual watch: the library
 * with its verdicts, the plan dialog (written/kept, the protecting backup,
 * refusals), writing, "How did it go?" in the history, and reverting.
 */

typedef struct {
	WfApplication *app;
	WfWindow *window;
	WfConnection *connection;
	gchar *tmp;
} Fixture;

static gboolean
connected_or_failed(gpointer data)
{
	Fixture *fx = data;
	return wf_connection_get_state(fx->connection) == WF_CONNECTION_STATE_CONNECTED ||
	       wf_connection_get_state(fx->connection) == WF_CONNECTION_STATE_ERROR;
}

static gboolean
idle_connection(gpointer data)
{
	Fixture *fx = data;
	return !wf_connection_is_busy(fx->connection);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	GSettings *settings;

	fx->app = wf_ui_test_application_new();
	settings = wf_application_get_settings(fx->app);
	g_settings_set_string(settings, "sim-flash-size", "4M");
	g_settings_set_uint(settings, "sim-link-rate", 0);
	g_settings_set_uint(settings, "sim-turnaround-ms", 0);
	fx->tmp = g_build_filename(g_get_user_data_dir(), "test-flash", NULL);
	g_assert_cmpint(g_mkdir_with_parents(fx->tmp, 0700), ==, 0);
	fx->window = wf_window_new(fx->app);
	fx->connection = wf_window_get_connection(fx->window);
	gtk_window_present(GTK_WINDOW(fx->window));
	wf_ui_test_spin(20);
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.simulate", NULL);
	g_assert_true(wf_ui_test_wait(connected_or_failed, fx, 30000));
	g_assert_cmpint(wf_connection_get_state(fx->connection), ==, WF_CONNECTION_STATE_CONNECTED);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	if (fx->window != NULL)
		wf_ui_test_destroy_window(GTK_WINDOW(fx->window));
	wf_ui_test_spin(20);
	g_clear_object(&fx->app);
	g_free(fx->tmp);
}

static WfBackup *
back_up(Fixture *fx)
{
	WfBackupsPage *backups = wf_window_get_backups_page(fx->window);
	WfDeviceInfo *info = wf_connection_get_device_info(fx->connection);

	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.backup", NULL);
	g_assert_true(wf_connection_is_busy(fx->connection));
	g_assert_true(wf_ui_test_wait(idle_connection, fx, 60000));
	wf_ui_test_spin(50);
	return wf_backups_page_get_latest_for_me_id(backups, wf_device_info_get_me_id_string(info));
}

/* a firmware package the virtual watch's generator builds for this watch,
 * another build than the one it holds */
static gchar *
make_package(Fixture *fx, const gchar *name, const gchar *verno, const gchar *lcd)
{
	WfDeviceInfo *info = wf_connection_get_device_info(fx->connection);
	WfSimImageSpec spec;
	g_autoptr(GBytes) image = NULL;
	g_autoptr(WfDump) dump = NULL;
	g_autoptr(GError) error = NULL;
	gchar *dir = g_build_filename(fx->tmp, name, NULL);

	wf_sim_image_spec_init(&spec,
			       wf_device_info_get_flash_size(info),
			       wf_device_info_get_jedec_id(info),
			       wf_device_info_get_me_id(info));
	spec.verno = verno;
	spec.build_date = "2025/03/01 12:00";
	if (lcd != NULL)
		spec.lcd_driver = lcd;
	image = wf_sim_image_build(&spec, &error);
	g_assert_no_error(error);
	if (lcd != NULL) {
		/* the display checks read a MAUI ROM file: a package of one ROM */
		WfSimImageLayout layout;
		g_autoptr(GBytes) rom = NULL;
		gchar *path = g_build_filename(dir, "ROM", NULL);

		g_assert_true(wf_sim_image_get_layout(&spec, &layout, &error));
		rom = g_bytes_new_from_bytes(image, layout.rom_offset, layout.rom_len);
		g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
		g_assert_true(g_file_set_contents(
			path, g_bytes_get_data(rom, NULL), g_bytes_get_size(rom), NULL));
		g_free(dir);
		return path;
	}
	dump = wf_dump_new_from_bytes(image, &error);
	g_assert_no_error(error);
	g_assert_true(wf_dump_split(dump, dir, &error));
	g_assert_no_error(error);
	return dir;
}

static gboolean
dialog_settled(gpointer data)
{
	Fixture *fx = data;
	WfFlashDialog *dialog = wf_window_get_flash_dialog(fx->window);
	const gchar *view;

	if (dialog == NULL)
		return FALSE;
	view = wf_flash_dialog_get_view(dialog);
	return g_strcmp0(view, "plan") == 0 || g_strcmp0(view, "refused") == 0 ||
	       g_strcmp0(view, "result") == 0;
}

static WfFlashDialog *
flash(Fixture *fx, const gchar *package)
{
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.flash-package", "s", package);
	g_assert_true(wf_ui_test_wait(dialog_settled, fx, 60000));
	return wf_window_get_flash_dialog(fx->window);
}

static gboolean
file_equals(const gchar *a, const gchar *b)
{
	g_autofree gchar *da = NULL;
	g_autofree gchar *db = NULL;
	gsize la = 0, lb = 0;

	g_assert_true(g_file_get_contents(a, &da, &la, NULL));
	g_assert_true(g_file_get_contents(b, &db, &lb, NULL));
	return la == lb && memcmp(da, db, la) == 0;
}

/* no backup of this watch: nothing is even compared, Back Up is offered */
static void
test_flash_refused_without_backup(Fixture *fx, gconstpointer data)
{
	WfFirmwarePage *page = wf_window_get_firmware_page(fx->window);
	g_autofree gchar *pkg = make_package(fx, "no-backup", "WF_TEST_BUILD_2", NULL);
	g_autoptr(GError) error = NULL;
	WfFlashDialog *dialog;

	g_assert_true(wf_firmware_page_add(page, pkg, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_firmware_page_get_n_packages(page), ==, 1);
	dialog = flash(fx, pkg);
	g_assert_cmpstr(wf_flash_dialog_get_view(dialog), ==, "refused");
	g_assert_nonnull(strstr(wf_flash_dialog_get_message(dialog), "backup"));
	g_assert_false(wf_flash_dialog_can_write(dialog));
	g_assert_false(wf_flash_dialog_write(dialog));
	g_assert_false(wf_connection_is_busy(fx->connection));
	gtk_window_destroy(GTK_WINDOW(dialog));
}

/* the library, the plan, writing, "How did it go?" and Revert */
static void
test_flash_and_revert(Fixture *fx, gconstpointer data)
{
	WfFirmwarePage *page = wf_window_get_firmware_page(fx->window);
	g_autofree gchar *pkg = make_package(fx, "other-build", "WF_TEST_BUILD_2", NULL);
	g_autofree gchar *risky = make_package(
		fx, "risky", "VW_DZ09_V1.0_COB_9307HSD_FT6236_EU_IPS_20250301", "GC9307");
	g_autofree gchar *flash_bin = g_build_filename(
		g_get_user_data_dir(), "wristflash", "virtual-watch", "flash.bin", NULL);
	g_autofree gchar *backup_bin = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *backup_dir = NULL;
	WfFlashDialog *dialog;
	WfBackup *backup;

	backup = back_up(fx);
	g_assert_nonnull(backup);
	backup_dir = g_strdup(wf_backup_get_dir(backup));
	backup_bin = g_build_filename(backup_dir, "flash.bin", NULL);
	g_assert_true(file_equals(flash_bin, backup_bin));

	/* the library and its verdicts against this watch */
	g_assert_true(wf_firmware_page_add(page, pkg, &error));
	g_assert_no_error(error);
	g_assert_true(wf_firmware_page_add(page, risky, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_firmware_page_get_n_packages(page), ==, 2);
	/* another build of the same project: never incompatible (risky when
	 * its display driver cannot be confirmed) */
	g_assert_nonnull(wf_firmware_page_get_verdict(page, pkg));
	g_assert_cmpstr(wf_firmware_page_get_verdict(page, pkg), !=, "incompatible");
	g_assert_cmpstr(wf_firmware_page_get_verdict(page, risky), ==, "risky");
	g_assert_false(wf_firmware_page_add(page, backup_dir, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);
	g_assert_cmpuint(wf_firmware_page_get_n_history_rows(page), ==, 0);

	/* risky: the plan is shown, writing needs the extra confirmation */
	dialog = flash(fx, risky);
	g_assert_cmpstr(wf_flash_dialog_get_view(dialog), ==, "plan");
	g_assert_false(wf_flash_dialog_can_write(dialog));
	wf_flash_dialog_set_risk_accepted(dialog, TRUE);
	g_assert_true(wf_flash_dialog_can_write(dialog));
	gtk_window_destroy(GTK_WINDOW(dialog));
	wf_ui_test_spin(20);

	/* the plan: what is written, what is kept, which backup protects */
	dialog = flash(fx, pkg);
	g_assert_cmpstr(wf_flash_dialog_get_view(dialog), ==, "plan");
	g_assert_cmpuint(wf_flash_dialog_get_n_written_rows(dialog), >, 0);
	g_assert_cmpuint(wf_flash_dialog_get_n_kept_rows(dialog), >, 0);
	g_assert_cmpstr(wf_flash_dialog_get_backup_text(dialog), ==, backup_dir);
	if (g_strcmp0(wf_firmware_page_get_verdict(page, pkg), "risky") == 0) {
		g_assert_false(wf_flash_dialog_can_write(dialog));
		wf_flash_dialog_set_risk_accepted(dialog, TRUE);
	}
	g_assert_true(wf_flash_dialog_can_write(dialog));
	g_assert_true(wf_flash_dialog_write(dialog));
	g_assert_true(wf_connection_is_writing(fx->connection));
	g_assert_true(wf_window_is_inhibiting(fx->window));
	g_assert_true(wf_ui_test_wait(dialog_settled, fx, 120000));
	g_assert_cmpstr(wf_flash_dialog_get_view(dialog), ==, "result");
	g_assert_false(wf_window_is_inhibiting(fx->window));
	g_assert_false(file_equals(flash_bin, backup_bin));

	/* "How did it go?" lands in the watch's history */
	g_assert_false(wf_flash_dialog_save_answer(dialog, "splendid", NULL, &error));
	g_clear_error(&error);
	g_assert_true(wf_flash_dialog_save_answer(
		dialog, WF_FLASH_FEEDBACK_TOUCH_DEAD, "no touch", &error));
	g_assert_no_error(error);
	g_assert_true(wf_ui_test_wait(connected_or_failed, fx, 30000));
	wf_ui_test_spin(100);
	g_assert_true(wf_ui_test_wait(connected_or_failed, fx, 30000));
	wf_firmware_page_reload(page);
	g_assert_cmpuint(wf_firmware_page_get_n_history_rows(page), ==, 1);
	text = wf_firmware_page_get_history_text(page, 0);
	g_test_message("history: %s", text);
	g_assert_nonnull(strstr(text, "other-build"));
	g_assert_nonnull(strstr(text, "Touch does not respond"));
	g_assert_nonnull(strstr(text, "no touch"));
	gtk_window_destroy(GTK_WINDOW(dialog));
	wf_ui_test_spin(20);

	/* Revert to my backup: the flash equals the backup again */
	gtk_widget_activate_action(GTK_WIDGET(fx->window), "win.restore-backup", "s", backup_dir);
	g_assert_true(wf_ui_test_wait(dialog_settled, fx, 60000));
	dialog = wf_window_get_flash_dialog(fx->window);
	g_assert_cmpstr(wf_flash_dialog_get_view(dialog), ==, "plan");
	g_assert_cmpuint(wf_flash_dialog_get_n_written_rows(dialog), >, 0);
	g_assert_true(wf_flash_dialog_write(dialog));
	g_assert_true(wf_ui_test_wait(dialog_settled, fx, 120000));
	g_assert_cmpstr(wf_flash_dialog_get_view(dialog), ==, "result");
	g_test_message("result: %s", wf_flash_dialog_get_message(dialog));
	gtk_window_destroy(GTK_WINDOW(dialog));
	g_assert_true(wf_ui_test_wait(connected_or_failed, fx, 30000));
	wf_ui_test_spin(100);
	g_assert_true(wf_ui_test_wait(idle_connection, fx, 30000));
	g_assert_true(file_equals(flash_bin, backup_bin));
	wf_firmware_page_reload(page);
	g_assert_cmpuint(wf_firmware_page_get_n_history_rows(page), ==, 2);
}

/* split a backup: the package is written and lands in the library; the
 * Inspect page reads it */
static void
test_split_and_inspect(Fixture *fx, gconstpointer data)
{
	WfFirmwarePage *page = wf_window_get_firmware_page(fx->window);
	WfInspectPage *inspect = wf_window_get_inspect_page(fx->window);
	g_autofree gchar *out = g_build_filename(fx->tmp, "split", NULL);
	g_autofree gchar *bin = NULL;
	g_autoptr(GError) error = NULL;
	WfBackup *backup = back_up(fx);

	g_assert_nonnull(backup);
	g_assert_true(wf_window_split_backup(fx->window, wf_backup_get_dir(backup), out, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_firmware_page_get_n_packages(page), ==, 1);
	/* the watch's own firmware fits it */
	g_assert_cmpstr(wf_firmware_page_get_verdict(page, out), ==, "compatible");
	/* a second split into the same folder is refused */
	g_assert_false(wf_window_split_backup(fx->window, wf_backup_get_dir(backup), out, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);

	g_assert_cmpstr(wf_inspect_page_get_view(inspect), ==, "empty");
	bin = g_build_filename(wf_backup_get_dir(backup), "flash.bin", NULL);
	g_assert_true(wf_inspect_page_open(inspect, bin, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(wf_inspect_page_get_view(inspect), ==, "details");
	g_assert_cmpuint(wf_inspect_page_get_n_layout_rows(inspect), >, 3);
	g_assert_cmpuint(wf_inspect_page_get_n_codes(inspect), >, 0);
	g_assert_true(wf_inspect_page_open(inspect, out, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(wf_inspect_page_get_n_layout_rows(inspect), >, 2);
	g_assert_false(wf_inspect_page_open(inspect, "/nonexistent/firmware.bin", &error));
	g_assert_nonnull(error);
	g_assert_cmpstr(wf_inspect_page_get_view(inspect), ==, "error");
}

int
main(int argc, char **argv)
{
	/* the components and codes tables, from the source tree */
	g_setenv("WF_DATA_DIR", WF_TEST_DATA_DIR, FALSE);
	if (!wf_ui_test_init(&argc, &argv))
		return 77;
	g_test_add("/ui/flash/refused-without-backup",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_flash_refused_without_backup,
		   fixture_teardown);
	g_test_add("/ui/flash/flash-and-revert",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_flash_and_revert,
		   fixture_teardown);
	g_test_add("/ui/flash/split-and-inspect",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_split_and_inspect,
		   fixture_teardown);
	return g_test_run();
}
