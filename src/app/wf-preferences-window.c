/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-preferences-window.h"

#include <glib/gi18n.h>

#include "wf-a11y.h"
#include "wf-application.h"

struct _WfPreferencesWindow {
	AdwPreferencesWindow parent_instance;
	AdwActionRow *folder_row;
	AdwActionRow *verify_row;
	GtkWidget *folder_reset_button;
	AdwActionRow *da_row;
	GtkWidget *da_clear_button;
	AdwComboRow *flash_size_row;
	AdwComboRow *link_speed_row;
	GtkAdjustment *turnaround_adjustment;
	GtkWidget *turnaround_spin;
	GtkWidget *folder_button;
	GtkWidget *da_button;
	GSettings *settings;
	GtkFileChooserNative *chooser; /* the one open, if any */
};

G_DEFINE_FINAL_TYPE(WfPreferencesWindow, wf_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const guint wf_link_speeds[] = {250000, 1000000, 4000000, 0};
static const gchar *wf_flash_sizes[] = {"4M", "8M", "16M"};

guint
wf_preferences_link_speed_to_index(guint rate)
{
	guint best = 1;
	guint64 best_diff = G_MAXUINT64;

	/* a rate set elsewhere (dconf) shows as the nearest offered one */
	for (guint i = 0; i < G_N_ELEMENTS(wf_link_speeds); i++) {
		guint64 diff;

		if (rate == wf_link_speeds[i])
			return i;
		if (rate == 0 || wf_link_speeds[i] == 0)
			continue;
		diff = rate > wf_link_speeds[i] ? rate - wf_link_speeds[i]
						: wf_link_speeds[i] - rate;
		if (diff < best_diff) {
			best_diff = diff;
			best = i;
		}
	}
	return best;
}

guint
wf_preferences_link_speed_from_index(guint idx)
{
	g_return_val_if_fail(idx < G_N_ELEMENTS(wf_link_speeds), wf_link_speeds[1]);
	return wf_link_speeds[idx];
}

static gboolean
wf_preferences_rate_get_mapping(GValue *value, GVariant *variant, gpointer user_data)
{
	g_value_set_uint(value, wf_preferences_link_speed_to_index(g_variant_get_uint32(variant)));
	return TRUE;
}

static GVariant *
wf_preferences_rate_set_mapping(const GValue *value,
				const GVariantType *expected_type,
				gpointer user_data)
{
	guint idx = g_value_get_uint(value);

	if (idx >= G_N_ELEMENTS(wf_link_speeds))
		return NULL;
	return g_variant_new_uint32(wf_link_speeds[idx]);
}

static gboolean
wf_preferences_size_get_mapping(GValue *value, GVariant *variant, gpointer user_data)
{
	const gchar *size = g_variant_get_string(variant, NULL);

	for (guint i = 0; i < G_N_ELEMENTS(wf_flash_sizes); i++) {
		if (g_strcmp0(size, wf_flash_sizes[i]) == 0) {
			g_value_set_uint(value, i);
			return TRUE;
		}
	}
	return FALSE;
}

static GVariant *
wf_preferences_size_set_mapping(const GValue *value,
				const GVariantType *expected_type,
				gpointer user_data)
{
	guint idx = g_value_get_uint(value);

	if (idx >= G_N_ELEMENTS(wf_flash_sizes))
		return NULL;
	return g_variant_new_string(wf_flash_sizes[idx]);
}

static gboolean
wf_preferences_ms_get_mapping(GValue *value, GVariant *variant, gpointer user_data)
{
	g_value_set_double(value, g_variant_get_uint32(variant));
	return TRUE;
}

static GVariant *
wf_preferences_ms_set_mapping(const GValue *value,
			      const GVariantType *expected_type,
			      gpointer user_data)
{
	gdouble ms = g_value_get_double(value);

	return g_variant_new_uint32((guint32)CLAMP(ms, 0, 1000));
}

static void
wf_preferences_window_sync_folder(WfPreferencesWindow *self)
{
	g_autofree gchar *folder = wf_application_dup_backup_folder(self->settings);
	g_autofree gchar *custom = g_settings_get_string(self->settings, "backup-folder");
	g_autofree gchar *shown = wf_application_display_path(folder);

	adw_action_row_set_subtitle(self->folder_row, shown);
	gtk_widget_set_visible(self->folder_reset_button, custom[0] != '\0');
}

static void
wf_preferences_window_sync_da(WfPreferencesWindow *self)
{
	g_autofree gchar *da = g_settings_get_string(self->settings, "da-file");
	g_autofree gchar *shown = wf_application_display_path(da);

	adw_action_row_set_subtitle(self->da_row, da[0] != '\0' ? shown : _("None chosen"));
	gtk_widget_set_visible(self->da_clear_button, da[0] != '\0');
}

static void
wf_preferences_window_settings_changed_cb(GSettings *settings, const gchar *key, gpointer user_data)
{
	WfPreferencesWindow *self = WF_PREFERENCES_WINDOW(user_data);

	if (g_strcmp0(key, "backup-folder") == 0)
		wf_preferences_window_sync_folder(self);
	else if (g_strcmp0(key, "da-file") == 0)
		wf_preferences_window_sync_da(self);
}

static void
wf_preferences_window_chooser_response_cb(GtkNativeDialog *dialog,
					  gint response,
					  gpointer user_data)
{
	WfPreferencesWindow *self = WF_PREFERENCES_WINDOW(user_data);
	const gchar *key = g_object_get_data(G_OBJECT(dialog), "wf-key");

	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
		g_autofree gchar *path = file != NULL ? g_file_get_path(file) : NULL;

		if (path != NULL)
			g_settings_set_string(self->settings, key, path);
	}
	g_clear_object(&self->chooser);
}

static void
wf_preferences_window_choose(WfPreferencesWindow *self,
			     const gchar *title,
			     GtkFileChooserAction action,
			     const gchar *key)
{
	g_autofree gchar *current = g_settings_get_string(self->settings, key);

	if (self->chooser != NULL)
		gtk_native_dialog_destroy(GTK_NATIVE_DIALOG(self->chooser));
	g_clear_object(&self->chooser);
	self->chooser = gtk_file_chooser_native_new(
		title, GTK_WINDOW(self), action, _("_Select"), _("_Cancel"));
	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(self->chooser), TRUE);
	g_object_set_data_full(G_OBJECT(self->chooser), "wf-key", g_strdup(key), g_free);
	if (current[0] != '\0') {
		g_autoptr(GFile) file = g_file_new_for_path(current);
		if (action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER)
			gtk_file_chooser_set_current_folder(
				GTK_FILE_CHOOSER(self->chooser), file, NULL);
		else
			gtk_file_chooser_set_file(GTK_FILE_CHOOSER(self->chooser), file, NULL);
	}
	g_signal_connect(self->chooser,
			 "response",
			 G_CALLBACK(wf_preferences_window_chooser_response_cb),
			 self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(self->chooser));
}

static void
wf_preferences_window_folder_choose_cb(WfPreferencesWindow *self)
{
	wf_preferences_window_choose(self,
				     _("Choose the Backup Folder"),
				     GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
				     "backup-folder");
}

static void
wf_preferences_window_folder_reset_cb(WfPreferencesWindow *self)
{
	g_settings_reset(self->settings, "backup-folder");
}

static void
wf_preferences_window_da_choose_cb(WfPreferencesWindow *self)
{
	wf_preferences_window_choose(
		self, _("Choose the Download Agent File"), GTK_FILE_CHOOSER_ACTION_OPEN, "da-file");
}

static void
wf_preferences_window_da_clear_cb(WfPreferencesWindow *self)
{
	g_settings_reset(self->settings, "da-file");
}

static void
wf_preferences_window_bind(WfPreferencesWindow *self)
{
	g_settings_bind_with_mapping(self->settings,
				     "sim-flash-size",
				     self->flash_size_row,
				     "selected",
				     G_SETTINGS_BIND_DEFAULT,
				     wf_preferences_size_get_mapping,
				     wf_preferences_size_set_mapping,
				     NULL,
				     NULL);
	g_settings_bind_with_mapping(self->settings,
				     "sim-link-rate",
				     self->link_speed_row,
				     "selected",
				     G_SETTINGS_BIND_DEFAULT,
				     wf_preferences_rate_get_mapping,
				     wf_preferences_rate_set_mapping,
				     NULL,
				     NULL);
	g_settings_bind_with_mapping(self->settings,
				     "sim-turnaround-ms",
				     self->turnaround_adjustment,
				     "value",
				     G_SETTINGS_BIND_DEFAULT,
				     wf_preferences_ms_get_mapping,
				     wf_preferences_ms_set_mapping,
				     NULL,
				     NULL);
	g_signal_connect_object(self->settings,
				"changed",
				G_CALLBACK(wf_preferences_window_settings_changed_cb),
				self,
				0);
	wf_preferences_window_sync_folder(self);
	wf_preferences_window_sync_da(self);
}

static void
wf_preferences_window_dispose(GObject *object)
{
	WfPreferencesWindow *self = WF_PREFERENCES_WINDOW(object);

	if (self->chooser != NULL) {
		gtk_native_dialog_destroy(GTK_NATIVE_DIALOG(self->chooser));
		g_clear_object(&self->chooser);
	}
	g_clear_object(&self->settings);
	gtk_widget_dispose_template(GTK_WIDGET(self), WF_TYPE_PREFERENCES_WINDOW);
	G_OBJECT_CLASS(wf_preferences_window_parent_class)->dispose(object);
}

static void
wf_preferences_window_class_init(WfPreferencesWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = wf_preferences_window_dispose;
	gtk_widget_class_set_template_from_resource(
		widget_class, "/io/github/wristflash/Wristflash/wf-preferences-window.ui");
	gtk_widget_class_bind_template_child(widget_class, WfPreferencesWindow, folder_row);
	gtk_widget_class_bind_template_child(widget_class, WfPreferencesWindow, verify_row);
	gtk_widget_class_bind_template_child(
		widget_class, WfPreferencesWindow, folder_reset_button);
	gtk_widget_class_bind_template_child(widget_class, WfPreferencesWindow, da_row);
	gtk_widget_class_bind_template_child(widget_class, WfPreferencesWindow, da_clear_button);
	gtk_widget_class_bind_template_child(widget_class, WfPreferencesWindow, flash_size_row);
	gtk_widget_class_bind_template_child(widget_class, WfPreferencesWindow, link_speed_row);
	gtk_widget_class_bind_template_child(
		widget_class, WfPreferencesWindow, turnaround_adjustment);
	gtk_widget_class_bind_template_child(widget_class, WfPreferencesWindow, turnaround_spin);
	gtk_widget_class_bind_template_child(widget_class, WfPreferencesWindow, folder_button);
	gtk_widget_class_bind_template_child(widget_class, WfPreferencesWindow, da_button);
	gtk_widget_class_bind_template_callback(widget_class,
						wf_preferences_window_folder_choose_cb);
	gtk_widget_class_bind_template_callback(widget_class,
						wf_preferences_window_folder_reset_cb);
	gtk_widget_class_bind_template_callback(widget_class, wf_preferences_window_da_choose_cb);
	gtk_widget_class_bind_template_callback(widget_class, wf_preferences_window_da_clear_cb);
}

static void
wf_preferences_window_init(WfPreferencesWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	wf_a11y_fix_buttons(GTK_WIDGET(self));
	/* two "Choose…" buttons: say what each chooses */
	gtk_accessible_update_property(GTK_ACCESSIBLE(self->folder_button),
				       GTK_ACCESSIBLE_PROPERTY_LABEL,
				       _("Choose the Backup Folder"),
				       -1);
	gtk_accessible_update_property(GTK_ACCESSIBLE(self->da_button),
				       GTK_ACCESSIBLE_PROPERTY_LABEL,
				       _("Choose the Download Agent File"),
				       -1);
}

/**
 * wf_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @settings: the application's settings, changed live
 */
GtkWidget *
wf_preferences_window_new(GtkWindow *parent, GSettings *settings)
{
	WfPreferencesWindow *self;

	g_return_val_if_fail(G_IS_SETTINGS(settings), NULL);
	self = g_object_new(
		WF_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", parent != NULL, NULL);
	self->settings = g_object_ref(settings);
	wf_preferences_window_bind(self);
	return GTK_WIDGET(self);
}
