/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-backup-row.h"

#include <glib/gi18n.h>

struct _WfBackupRow {
	AdwActionRow parent_instance;
	GtkWidget *verified_badge;
	GtkWidget *restore_button;
	GtkWidget *split_button;
	GtkWidget *show_button;
	GtkWidget *delete_button;
	WfBackup *backup;
};

enum { SIGNAL_DELETE_REQUESTED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

G_DEFINE_FINAL_TYPE(WfBackupRow, wf_backup_row, ADW_TYPE_ACTION_ROW)

/**
 * wf_backup_is_verified:
 *
 * Returns: whether the backup's record says its flash was read twice with
 *   the same result
 */
gboolean
wf_backup_is_verified(WfBackup *backup)
{
	JsonObject *record;

	g_return_val_if_fail(WF_IS_BACKUP(backup), FALSE);
	record = wf_backup_get_record(backup);
	if (record == NULL)
		return FALSE;
	return g_strcmp0(json_object_get_string_member_with_default(record, "verification", NULL),
			 "read-twice") == 0;
}

static void
wf_show_in_files_fallback(GFile *file)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *uri = g_file_get_uri(file);

	if (!g_app_info_launch_default_for_uri(uri, NULL, &error))
		g_warning("cannot show %s: %s", uri, error->message);
}

static void
wf_show_in_files_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GFile) file = G_FILE(user_data);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	if (reply == NULL) {
		/* no file manager implementing FileManager1: open the folder itself */
		g_debug("FileManager1.ShowItems failed: %s", error->message);
		wf_show_in_files_fallback(file);
	}
}

/**
 * wf_show_in_files:
 * @file: a file or folder
 *
 * Shows @file selected in the file manager, or opens it when no file
 * manager offers that.
 */
void
wf_show_in_files(GFile *file)
{
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, NULL);
	g_autofree gchar *uri = g_file_get_uri(file);
	const gchar *uris[] = {uri, NULL};

	g_return_if_fail(G_IS_FILE(file));
	if (bus == NULL) {
		wf_show_in_files_fallback(file);
		return;
	}
	g_dbus_connection_call(bus,
			       "org.freedesktop.FileManager1",
			       "/org/freedesktop/FileManager1",
			       "org.freedesktop.FileManager1",
			       "ShowItems",
			       g_variant_new("(^ass)", uris, ""),
			       NULL,
			       G_DBUS_CALL_FLAGS_NONE,
			       5000,
			       NULL,
			       wf_show_in_files_cb,
			       g_object_ref(file));
}

static void
wf_backup_row_show_clicked_cb(WfBackupRow *self)
{
	g_autoptr(GFile) file = g_file_new_for_path(wf_backup_get_dir(self->backup));
	wf_show_in_files(file);
}

static void
wf_backup_row_delete_clicked_cb(WfBackupRow *self)
{
	g_signal_emit(self, signals[SIGNAL_DELETE_REQUESTED], 0);
}

static gchar *
wf_backup_row_format_date(WfBackup *backup)
{
	GDateTime *created = wf_backup_get_created(backup);
	g_autoptr(GDateTime) local = NULL;

	if (created == NULL)
		return g_strdup(_("Unknown date"));
	local = g_date_time_to_local(created);
	/* TRANSLATORS: the date of a backup, see g_date_time_format() */
	return g_date_time_format(local, _("%-d %B %Y, %H:%M"));
}

static void
wf_backup_row_sync(WfBackupRow *self)
{
	g_autofree gchar *date = wf_backup_row_format_date(self->backup);
	g_autofree gchar *size =
		g_format_size_full(wf_backup_get_flash_size(self->backup), G_FORMAT_SIZE_IEC_UNITS);
	g_autofree gchar *sha = g_strndup(wf_backup_get_sha256(self->backup) != NULL
						  ? wf_backup_get_sha256(self->backup)
						  : "",
					  12);
	g_autofree gchar *subtitle = NULL;
	g_autofree gchar *delete_label = NULL;
	g_autofree gchar *show_label = NULL;
	g_autofree gchar *restore_label = NULL;
	g_autofree gchar *split_label = NULL;

	/* TRANSLATORS: a backup's size and the start of its SHA-256 hash */
	subtitle = g_strdup_printf(_("%s · SHA-256 %s…"), size, sha);
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self), date);
	adw_action_row_set_subtitle(ADW_ACTION_ROW(self), subtitle);
	gtk_widget_set_visible(self->verified_badge, wf_backup_is_verified(self->backup));

	/* icon buttons repeat in every row: say which backup they act on */
	/* TRANSLATORS: accessible name of a button, %s is a date */
	delete_label = g_strdup_printf(_("Delete the backup of %s"), date);
	/* TRANSLATORS: accessible name of a button, %s is a date */
	show_label = g_strdup_printf(_("Show the backup of %s in Files"), date);
	gtk_accessible_update_property(GTK_ACCESSIBLE(self->delete_button),
				       GTK_ACCESSIBLE_PROPERTY_LABEL,
				       delete_label,
				       -1);
	gtk_accessible_update_property(
		GTK_ACCESSIBLE(self->show_button), GTK_ACCESSIBLE_PROPERTY_LABEL, show_label, -1);
	/* TRANSLATORS: accessible name of a button, %s is a date */
	restore_label = g_strdup_printf(_("Restore the backup of %s"), date);
	/* TRANSLATORS: accessible name of a button, %s is a date */
	split_label = g_strdup_printf(_("Split the backup of %s into a firmware package"), date);
	gtk_accessible_update_property(GTK_ACCESSIBLE(self->restore_button),
				       GTK_ACCESSIBLE_PROPERTY_LABEL,
				       restore_label,
				       -1);
	gtk_accessible_update_property(
		GTK_ACCESSIBLE(self->split_button), GTK_ACCESSIBLE_PROPERTY_LABEL, split_label, -1);
	gtk_actionable_set_action_target(
		GTK_ACTIONABLE(self->restore_button), "s", wf_backup_get_dir(self->backup));
	gtk_actionable_set_action_target(
		GTK_ACTIONABLE(self->split_button), "s", wf_backup_get_dir(self->backup));
}

/**
 * wf_backup_row_get_backup:
 *
 * Returns: (transfer none): the backup the row shows
 */
WfBackup *
wf_backup_row_get_backup(WfBackupRow *self)
{
	g_return_val_if_fail(WF_IS_BACKUP_ROW(self), NULL);
	return self->backup;
}

static void
wf_backup_row_dispose(GObject *object)
{
	WfBackupRow *self = WF_BACKUP_ROW(object);

	g_clear_object(&self->backup);
	gtk_widget_dispose_template(GTK_WIDGET(self), WF_TYPE_BACKUP_ROW);
	G_OBJECT_CLASS(wf_backup_row_parent_class)->dispose(object);
}

static void
wf_backup_row_class_init(WfBackupRowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = wf_backup_row_dispose;
	/**
	 * WfBackupRow::delete-requested:
	 *
	 * The user pressed Delete; the owner decides how (with undo).
	 */
	signals[SIGNAL_DELETE_REQUESTED] = g_signal_new("delete-requested",
							G_TYPE_FROM_CLASS(klass),
							G_SIGNAL_RUN_LAST,
							0,
							NULL,
							NULL,
							NULL,
							G_TYPE_NONE,
							0);
	gtk_widget_class_set_template_from_resource(
		widget_class, "/io/github/wristflash/Wristflash/wf-backup-row.ui");
	gtk_widget_class_bind_template_child(widget_class, WfBackupRow, verified_badge);
	gtk_widget_class_bind_template_child(widget_class, WfBackupRow, restore_button);
	gtk_widget_class_bind_template_child(widget_class, WfBackupRow, split_button);
	gtk_widget_class_bind_template_child(widget_class, WfBackupRow, show_button);
	gtk_widget_class_bind_template_child(widget_class, WfBackupRow, delete_button);
	gtk_widget_class_bind_template_callback(widget_class, wf_backup_row_show_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, wf_backup_row_delete_clicked_cb);
}

static void
wf_backup_row_init(WfBackupRow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *
wf_backup_row_new(WfBackup *backup)
{
	WfBackupRow *self;

	g_return_val_if_fail(WF_IS_BACKUP(backup), NULL);
	self = g_object_new(WF_TYPE_BACKUP_ROW, NULL);
	self->backup = g_object_ref(backup);
	wf_backup_row_sync(self);
	return GTK_WIDGET(self);
}
