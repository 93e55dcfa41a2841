/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-firmware-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wf-a11y.h"
#include "wf-compat.h"
#include "wf-error.h"
#include "wf-firmware-facts.h"
#include "wf-profile-db.h"
#include "wf-watch-match.h"

/*
 * The firmware library: every package the user added, what it is (VERNO,
 * platform, build date, display/touch tokens) and whether it fits the
 * connected watch, with the reasons; Flash per package. Below it the
 * watch's own history: every firmware tried, how it went, and Revert.
 */

struct _WfFirmwarePage {
	AdwBin parent_instance;
	GtkStack *stack;
	AdwPreferencesGroup *library_group;
	AdwPreferencesGroup *history_group;
	GtkWidget *history_empty_row;

	WfFirmwareLibrary *library;
	WfFlashHistory *history;
	WfFlashFeedback *feedback;
	WfProfileDb *db;
	WfWatchFacts *watch; /* (nullable) the connected watch */
	gboolean watch_busy;
	GPtrArray *package_rows; /* (element-type GtkWidget) */
	GPtrArray *history_rows; /* (element-type GtkWidget) */
	GHashTable *verdicts;	 /* path → static verdict string */
	GPtrArray *history_texts;
	GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE(WfFirmwarePage, wf_firmware_page, ADW_TYPE_BIN)

static WfProfileDb *
wf_firmware_page_get_db(WfFirmwarePage *self)
{
	g_autoptr(GError) error = NULL;

	if (self->db != NULL)
		return self->db;
	self->db = wf_profile_db_new();
	/* single broken files are skipped by the database itself */
	if (!wf_profile_db_load_default(self->db, &error))
		g_message("device profiles not loaded: %s", error->message);
	return self->db;
}

static const gchar *
wf_firmware_page_verdict_label(WfCompatVerdict verdict)
{
	switch (verdict) {
	case WF_COMPAT_VERDICT_COMPATIBLE:
		return _("Compatible");
	case WF_COMPAT_VERDICT_RISKY:
		return _("Risky");
	case WF_COMPAT_VERDICT_INCOMPATIBLE:
	default:
		return _("Incompatible");
	}
}

static const gchar *
wf_firmware_page_verdict_class(WfCompatVerdict verdict)
{
	switch (verdict) {
	case WF_COMPAT_VERDICT_COMPATIBLE:
		return "success";
	case WF_COMPAT_VERDICT_RISKY:
		return "warning";
	case WF_COMPAT_VERDICT_INCOMPATIBLE:
	default:
		return "error";
	}
}

static const gchar *
wf_firmware_page_level_icon(WfCompatLevel level)
{
	switch (level) {
	case WF_COMPAT_LEVEL_OK:
		return "emblem-ok-symbolic";
	case WF_COMPAT_LEVEL_NOTE:
		return "dialog-information-symbolic";
	case WF_COMPAT_LEVEL_RISKY:
		return "dialog-warning-symbolic";
	case WF_COMPAT_LEVEL_INCOMPATIBLE:
	default:
		return "action-unavailable-symbolic";
	}
}

/* "LCD ST7789 · touch CST816" from the firmware's component tokens */
static gchar *
wf_firmware_page_components(const WfFirmwareFacts *fw)
{
	const gchar *categories[] = {"lcd", "touch", "panel", NULL};
	const gchar *labels[] = {N_("LCD"), N_("touch"), N_("panel"), NULL};
	GString *str = g_string_new(NULL);

	for (guint c = 0; categories[c] != NULL; c++) {
		g_autoptr(GPtrArray) found = wf_firmware_facts_get_components(fw, categories[c]);
		for (guint i = 0; found != NULL && i < found->len; i++) {
			const WfFirmwareComponent *comp = g_ptr_array_index(found, i);
			if (str->len > 0)
				g_string_append(str, " · ");
			g_string_append_printf(str, "%s %s", _(labels[c]), comp->token);
		}
	}
	if (str->len == 0)
		g_string_append(str, _("no display or touch tokens found"));
	return g_string_free(str, FALSE);
}

static GtkWidget *
wf_firmware_page_badge(const gchar *text, const gchar *css_class)
{
	GtkWidget *label = gtk_label_new(text);
	gtk_widget_set_valign(label, GTK_ALIGN_CENTER);
	gtk_widget_add_css_class(label, "wf-badge");
	if (css_class != NULL)
		gtk_widget_add_css_class(label, css_class);
	return label;
}

static GtkWidget *
wf_firmware_page_icon_button(const gchar *icon,
			     const gchar *label,
			     const gchar *action,
			     const gchar *target)
{
	GtkWidget *button = gtk_button_new_from_icon_name(icon);
	gtk_widget_set_valign(button, GTK_ALIGN_CENTER);
	gtk_widget_set_tooltip_text(button, label);
	gtk_widget_add_css_class(button, "flat");
	gtk_actionable_set_action_name(GTK_ACTIONABLE(button), action);
	gtk_actionable_set_action_target(GTK_ACTIONABLE(button), "s", target);
	gtk_accessible_update_property(
		GTK_ACCESSIBLE(button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
	return button;
}

static GtkWidget *
wf_firmware_page_package_row(WfFirmwarePage *self, const gchar *path)
{
	GtkWidget *row = adw_expander_row_new();
	g_autofree gchar *basename = g_path_get_basename(path);
	g_autoptr(GError) error = NULL;
	g_autoptr(WfFirmwareFacts) fw = NULL;
	WfProfileDb *db = wf_firmware_page_get_db(self);
	g_autofree gchar *flash_label = NULL;
	g_autofree gchar *remove_label = NULL;
	GtkWidget *flash_button;

	adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
	fw = wf_firmware_facts_new_from_file(path, wf_profile_db_get_components(db), &error);
	if (fw == NULL) {
		GtkWidget *detail = adw_action_row_new();
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), basename);
		adw_expander_row_set_subtitle(ADW_EXPANDER_ROW(row), _("Cannot be read"));
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(detail), error->message);
		adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(detail), FALSE);
		adw_action_row_set_subtitle(ADW_ACTION_ROW(detail), path);
		adw_expander_row_add_row(ADW_EXPANDER_ROW(row), detail);
	} else {
		g_autofree gchar *date = wf_firmware_facts_get_date(fw);
		g_autofree gchar *components = wf_firmware_page_components(fw);
		/* TRANSLATORS: platform, build date, then display/touch tokens */
		g_autofree gchar *subtitle =
			g_strdup_printf(_("%s · built %s\n%s"),
					fw->platform != NULL ? fw->platform : _("unknown platform"),
					date != NULL ? date : _("on an unknown date"),
					components);
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row),
					      fw->verno != NULL ? fw->verno : basename);
		adw_expander_row_set_subtitle(ADW_EXPANDER_ROW(row), subtitle);
	}
	if (fw != NULL && self->watch != NULL) {
		g_autoptr(WfCompat) compat = wf_compat_check(db, fw, self->watch);
		WfCompatVerdict verdict = wf_compat_get_verdict(compat);
		GPtrArray *reasons = wf_compat_get_reasons(compat);

		g_hash_table_insert(self->verdicts,
				    g_strdup(path),
				    (gpointer)wf_compat_verdict_to_string(verdict));
		adw_expander_row_add_action(
			ADW_EXPANDER_ROW(row),
			wf_firmware_page_badge(wf_firmware_page_verdict_label(verdict),
					       wf_firmware_page_verdict_class(verdict)));
		for (guint i = 0; i < reasons->len; i++) {
			const WfCompatReason *reason = g_ptr_array_index(reasons, i);
			GtkWidget *reason_row = adw_action_row_new();
			GtkWidget *icon = gtk_image_new_from_icon_name(
				wf_firmware_page_level_icon(reason->level));
			gtk_accessible_update_property(GTK_ACCESSIBLE(icon),
						       GTK_ACCESSIBLE_PROPERTY_LABEL,
						       wf_compat_level_to_string(reason->level),
						       -1);
			adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(reason_row), FALSE);
			adw_preferences_row_set_title(ADW_PREFERENCES_ROW(reason_row),
						      reason->message);
			adw_action_row_set_title_lines(ADW_ACTION_ROW(reason_row), 0);
			adw_action_row_add_prefix(ADW_ACTION_ROW(reason_row), icon);
			adw_expander_row_add_row(ADW_EXPANDER_ROW(row), reason_row);
		}
	} else if (fw != NULL) {
		GtkWidget *hint = adw_action_row_new();
		adw_preferences_row_set_title(
			ADW_PREFERENCES_ROW(hint),
			_("Connect a watch to see whether this firmware fits it."));
		adw_expander_row_add_row(ADW_EXPANDER_ROW(row), hint);
	}
	{
		GtkWidget *path_row = adw_action_row_new();
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(path_row), _("Location"));
		adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(path_row), FALSE);
		adw_action_row_set_subtitle(ADW_ACTION_ROW(path_row), path);
		adw_expander_row_add_row(ADW_EXPANDER_ROW(row), path_row);
	}

	/* TRANSLATORS: accessible name of a button; %s is a firmware package */
	flash_label = g_strdup_printf(_("Flash %s"), basename);
	flash_button = gtk_button_new_with_mnemonic(_("_Flash…"));
	gtk_widget_set_valign(flash_button, GTK_ALIGN_CENTER);
	gtk_actionable_set_action_name(GTK_ACTIONABLE(flash_button), "win.flash-package");
	gtk_actionable_set_action_target(GTK_ACTIONABLE(flash_button), "s", path);
	gtk_accessible_update_property(
		GTK_ACCESSIBLE(flash_button), GTK_ACCESSIBLE_PROPERTY_LABEL, flash_label, -1);
	/* the label property alone names it (GTK 4.8 would add the inner label) */
	gtk_accessible_reset_relation(GTK_ACCESSIBLE(flash_button),
				      GTK_ACCESSIBLE_RELATION_LABELLED_BY);
	gtk_widget_set_sensitive(flash_button, fw != NULL);
	adw_expander_row_add_action(ADW_EXPANDER_ROW(row), flash_button);
	/* TRANSLATORS: accessible name of a button; %s is a firmware package */
	remove_label = g_strdup_printf(_("Remove %s from the library"), basename);
	adw_expander_row_add_action(
		ADW_EXPANDER_ROW(row),
		wf_firmware_page_icon_button(
			"list-remove-symbolic", remove_label, "firmware.remove", path));
	return row;
}

static void
wf_firmware_page_sync_library(WfFirmwarePage *self)
{
	GPtrArray *packages;

	for (guint i = 0; i < self->package_rows->len; i++)
		adw_preferences_group_remove(self->library_group,
					     g_ptr_array_index(self->package_rows, i));
	g_ptr_array_set_size(self->package_rows, 0);
	g_hash_table_remove_all(self->verdicts);
	if (self->library == NULL)
		return;
	packages = wf_firmware_library_get_packages(self->library);
	for (guint i = 0; i < packages->len; i++) {
		GtkWidget *row = wf_firmware_page_package_row(self, g_ptr_array_index(packages, i));
		adw_preferences_group_add(self->library_group, row);
		g_ptr_array_add(self->package_rows, row);
	}
	gtk_stack_set_visible_child_name(
		self->stack,
		packages->len > 0 || self->history_rows->len > 0 ? "library" : "empty");
}

static const gchar *
wf_firmware_page_result_label(const gchar *result)
{
	if (g_strcmp0(result, WF_FLASH_HISTORY_RESULT_OK) == 0)
		return _("written and verified");
	if (g_strcmp0(result, WF_FLASH_HISTORY_RESULT_CANCELLED) == 0)
		return _("stopped by you");
	if (g_strcmp0(result, WF_FLASH_HISTORY_RESULT_INTERRUPTED) == 0)
		return _("stopped part-way");
	if (g_strcmp0(result, WF_FLASH_HISTORY_RESULT_VERIFY_FAILED) == 0)
		return _("read back different");
	return _("not written");
}

static GtkWidget *
wf_firmware_page_history_row(WfFirmwarePage *self, const WfFlashHistoryEntry *entry)
{
	GtkWidget *row = adw_action_row_new();
	g_autofree gchar *title = NULL;
	g_autofree gchar *date = NULL;
	g_autofree gchar *answer = NULL;
	g_autofree gchar *note = NULL;
	g_autofree gchar *subtitle = NULL;
	const gchar *source = NULL;

	if (entry->sources != NULL && entry->sources->len > 0)
		source = ((WfFlashHistorySource *)g_ptr_array_index(entry->sources, 0))->path;
	if (g_strcmp0(entry->operation, WF_FLASH_HISTORY_OP_RESTORE) == 0)
		/* TRANSLATORS: a history row: the watch's backup was written back */
		title = g_strdup(_("Restored a backup"));
	else if (source != NULL) {
		gchar *colon;
		/* "PACKAGE:FILE": the package names the row */
		title = g_path_get_basename(source);
		colon = strrchr(title, ':');
		if (colon != NULL && colon != title)
			*colon = '\0';
	} else
		title = g_strdup(entry->operation);
	if (entry->started != NULL) {
		g_autoptr(GDateTime) local = g_date_time_to_local(entry->started);
		/* TRANSLATORS: the date of a flash, see g_date_time_format() */
		date = g_date_time_format(local, _("%-d %B %Y, %H:%M"));
	}
	if (self->feedback != NULL && entry->started != NULL)
		wf_flash_feedback_get(self->feedback, entry->me_id, entry->started, &answer, &note);
	/* TRANSLATORS: date, result, method, then the user's answer */
	subtitle = g_strdup_printf(_("%s · %s through %s%s%s%s%s"),
				   date != NULL ? date : "?",
				   wf_firmware_page_result_label(entry->result),
				   entry->method != NULL ? entry->method : "?",
				   answer != NULL ? " · " : "",
				   answer != NULL ? wf_flash_feedback_answer_to_label(answer) : "",
				   note != NULL ? ": " : "",
				   note != NULL ? note : "");
	adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), title);
	adw_action_row_set_subtitle(ADW_ACTION_ROW(row), subtitle);
	g_ptr_array_add(self->history_texts, g_strdup_printf("%s — %s", title, subtitle));
	if (g_strcmp0(entry->operation, WF_FLASH_HISTORY_OP_FLASH) == 0 &&
	    entry->backup_dir != NULL) {
		GtkWidget *revert = gtk_button_new_with_mnemonic(_("_Revert"));
		/* TRANSLATORS: accessible name; %s is a firmware */
		g_autofree gchar *label = g_strdup_printf(_("Revert %s to my backup"), title);
		gtk_widget_set_valign(revert, GTK_ALIGN_CENTER);
		gtk_widget_set_tooltip_text(revert, _("Revert to My Backup"));
		gtk_actionable_set_action_name(GTK_ACTIONABLE(revert), "win.restore-backup");
		gtk_actionable_set_action_target(GTK_ACTIONABLE(revert), "s", entry->backup_dir);
		gtk_accessible_update_property(
			GTK_ACCESSIBLE(revert), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
		gtk_accessible_reset_relation(GTK_ACCESSIBLE(revert),
					      GTK_ACCESSIBLE_RELATION_LABELLED_BY);
		adw_action_row_add_suffix(ADW_ACTION_ROW(row), revert);
	}
	return row;
}

static void
wf_firmware_page_sync_history(WfFirmwarePage *self)
{
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < self->history_rows->len; i++)
		adw_preferences_group_remove(self->history_group,
					     g_ptr_array_index(self->history_rows, i));
	g_ptr_array_set_size(self->history_rows, 0);
	g_ptr_array_set_size(self->history_texts, 0);
	if (self->history != NULL && self->watch != NULL && self->watch->me_id != NULL) {
		entries = wf_flash_history_load(self->history, self->watch->me_id, &error);
		if (entries == NULL)
			g_debug("no history: %s", error->message);
	}
	/* newest first */
	for (guint i = entries != NULL ? entries->len : 0; i > 0; i--) {
		const WfFlashHistoryEntry *entry = g_ptr_array_index(entries, i - 1);
		GtkWidget *row;
		if (g_strcmp0(entry->operation, WF_FLASH_HISTORY_OP_ERASE) == 0)
			continue;
		row = wf_firmware_page_history_row(self, entry);
		adw_preferences_group_add(self->history_group, row);
		g_ptr_array_add(self->history_rows, row);
	}
	gtk_widget_set_visible(self->history_empty_row, self->history_rows->len == 0);
	gtk_widget_set_visible(GTK_WIDGET(self->history_group), self->watch != NULL);
}

/**
 * wf_firmware_page_reload:
 *
 * Reads the library and the watch's history again.
 */
void
wf_firmware_page_reload(WfFirmwarePage *self)
{
	g_return_if_fail(WF_IS_FIRMWARE_PAGE(self));
	wf_firmware_page_sync_history(self);
	wf_firmware_page_sync_library(self);
}

/**
 * wf_firmware_page_set_watch:
 * @info: (nullable): the connected watch
 * @backup_dir: (nullable): its latest backup: what its flash holds
 *
 * Checks every package against this watch.
 */
void
wf_firmware_page_set_watch(WfFirmwarePage *self, WfDeviceInfo *info, const gchar *backup_dir)
{
	WfProfileDb *db;

	g_return_if_fail(WF_IS_FIRMWARE_PAGE(self));
	g_clear_pointer(&self->watch, wf_watch_facts_free);
	if (info != NULL) {
		db = wf_firmware_page_get_db(self);
		if (backup_dir != NULL)
			self->watch = wf_watch_facts_new_from_backup(
				backup_dir, wf_profile_db_get_components(db), NULL);
		if (self->watch == NULL)
			self->watch = wf_watch_facts_new(_("the watch"));
		wf_watch_facts_set_device_info(self->watch, info);
	}
	wf_firmware_page_reload(self);
}

/**
 * wf_firmware_page_add:
 *
 * Adds a package (folder, .cfg or archive) to the library after checking
 * that it can be read as firmware.
 */
gboolean
wf_firmware_page_add(WfFirmwarePage *self, const gchar *path, GError **error)
{
	g_autoptr(WfFirmwareFacts) fw = NULL;

	g_return_val_if_fail(WF_IS_FIRMWARE_PAGE(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	fw = wf_firmware_facts_new_from_file(
		path, wf_profile_db_get_components(wf_firmware_page_get_db(self)), error);
	if (fw == NULL)
		return FALSE;
	return wf_firmware_library_add(self->library, path, error);
}

static void
wf_firmware_page_toast(WfFirmwarePage *self, const gchar *title)
{
	GtkWidget *overlay = gtk_widget_get_ancestor(GTK_WIDGET(self), ADW_TYPE_TOAST_OVERLAY);
	if (overlay != NULL)
		adw_toast_overlay_add_toast(ADW_TOAST_OVERLAY(overlay), adw_toast_new(title));
}

static void
wf_firmware_page_add_and_tell(WfFirmwarePage *self, const gchar *path)
{
	g_autoptr(GError) error = NULL;

	if (!wf_firmware_page_add(self, path, &error)) {
		g_autofree gchar *basename = g_path_get_basename(path);
		/* TRANSLATORS: %s is a file name, then why */
		g_autofree gchar *text =
			g_strdup_printf(_("%s is not firmware Wristflash can read"), basename);
		g_message("%s: %s", path, error->message);
		wf_firmware_page_toast(self, text);
	}
}

static void
wf_firmware_page_chooser_response_cb(GtkNativeDialog *dialog, gint response, gpointer user_data)
{
	WfFirmwarePage *self = WF_FIRMWARE_PAGE(user_data);

	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
		g_autofree gchar *path = file != NULL ? g_file_get_path(file) : NULL;
		if (path != NULL)
			wf_firmware_page_add_and_tell(self, path);
	}
	g_clear_object(&self->chooser);
}

static void
wf_firmware_page_choose(WfFirmwarePage *self, gboolean folder)
{
	GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(self));

	if (self->chooser != NULL)
		return;
	self->chooser = gtk_file_chooser_native_new(
		folder ? _("Add a Firmware Folder") : _("Add a Firmware Archive"),
		GTK_IS_WINDOW(root) ? GTK_WINDOW(root) : NULL,
		folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER : GTK_FILE_CHOOSER_ACTION_OPEN,
		_("_Add"),
		_("_Cancel"));
	if (!folder) {
		GtkFileFilter *filter = gtk_file_filter_new();
		gtk_file_filter_set_name(filter, _("Firmware archives and .cfg files"));
		gtk_file_filter_add_pattern(filter, "*.zip");
		gtk_file_filter_add_pattern(filter, "*.7z");
		gtk_file_filter_add_pattern(filter, "*.rar");
		gtk_file_filter_add_pattern(filter, "*.tar*");
		gtk_file_filter_add_pattern(filter, "*.cfg");
		gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(self->chooser), filter);
		g_object_unref(filter);
	}
	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(self->chooser), TRUE);
	g_signal_connect(
		self->chooser, "response", G_CALLBACK(wf_firmware_page_chooser_response_cb), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(self->chooser));
}

static void
wf_firmware_page_add_folder_action(GtkWidget *widget, const gchar *name, GVariant *parameter)
{
	wf_firmware_page_choose(WF_FIRMWARE_PAGE(widget), TRUE);
}

static void
wf_firmware_page_add_archive_action(GtkWidget *widget, const gchar *name, GVariant *parameter)
{
	wf_firmware_page_choose(WF_FIRMWARE_PAGE(widget), FALSE);
}

static void
wf_firmware_page_remove_action(GtkWidget *widget, const gchar *name, GVariant *parameter)
{
	WfFirmwarePage *self = WF_FIRMWARE_PAGE(widget);
	g_autoptr(GError) error = NULL;

	if (!wf_firmware_library_remove(
		    self->library, g_variant_get_string(parameter, NULL), &error))
		g_message("not removed: %s", error->message);
}

static gboolean
wf_firmware_page_drop_cb(
	GtkDropTarget *target, const GValue *value, gdouble x, gdouble y, gpointer user_data)
{
	WfFirmwarePage *self = WF_FIRMWARE_PAGE(user_data);
	GSList *files;

	if (!G_VALUE_HOLDS(value, GDK_TYPE_FILE_LIST))
		return FALSE;
	files = g_value_get_boxed(value);
	for (GSList *l = files; l != NULL; l = l->next) {
		g_autofree gchar *path = g_file_get_path(G_FILE(l->data));
		if (path != NULL)
			wf_firmware_page_add_and_tell(self, path);
	}
	return files != NULL;
}

static void
wf_firmware_page_library_changed_cb(WfFirmwareLibrary *library, gpointer user_data)
{
	wf_firmware_page_sync_library(WF_FIRMWARE_PAGE(user_data));
}

/**
 * wf_firmware_page_setup:
 * @feedback: (nullable): the "How did it go?" answers shown in the history
 */
void
wf_firmware_page_setup(WfFirmwarePage *self,
		       WfFirmwareLibrary *library,
		       WfFlashHistory *history,
		       WfFlashFeedback *feedback)
{
	g_return_if_fail(WF_IS_FIRMWARE_PAGE(self));
	g_return_if_fail(WF_IS_FIRMWARE_LIBRARY(library));
	g_set_object(&self->library, library);
	g_set_object(&self->history, history);
	g_set_object(&self->feedback, feedback);
	g_signal_connect_object(
		library, "changed", G_CALLBACK(wf_firmware_page_library_changed_cb), self, 0);
	wf_firmware_page_reload(self);
}

guint
wf_firmware_page_get_n_packages(WfFirmwarePage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PAGE(self), 0);
	return self->package_rows->len;
}

/**
 * wf_firmware_page_get_verdict:
 *
 * Returns: (nullable): "compatible", "risky" or "incompatible" for the
 *   connected watch, or %NULL when there is no verdict
 */
const gchar *
wf_firmware_page_get_verdict(WfFirmwarePage *self, const gchar *path)
{
	g_autoptr(GFile) file = NULL;
	g_autofree gchar *canonical = NULL;

	g_return_val_if_fail(WF_IS_FIRMWARE_PAGE(self), NULL);
	file = g_file_new_for_path(path);
	canonical = g_file_get_path(file);
	return g_hash_table_lookup(self->verdicts, canonical);
}

guint
wf_firmware_page_get_n_history_rows(WfFirmwarePage *self)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PAGE(self), 0);
	return self->history_rows->len;
}

/**
 * wf_firmware_page_get_history_text:
 *
 * Returns: (transfer full) (nullable): a history row's title and subtitle
 */
gchar *
wf_firmware_page_get_history_text(WfFirmwarePage *self, guint idx)
{
	g_return_val_if_fail(WF_IS_FIRMWARE_PAGE(self), NULL);
	if (idx >= self->history_texts->len)
		return NULL;
	return g_strdup(g_ptr_array_index(self->history_texts, idx));
}

static void
wf_firmware_page_dispose(GObject *object)
{
	WfFirmwarePage *self = WF_FIRMWARE_PAGE(object);

	if (self->chooser != NULL) {
		gtk_native_dialog_destroy(GTK_NATIVE_DIALOG(self->chooser));
		g_clear_object(&self->chooser);
	}
	g_clear_object(&self->library);
	g_clear_object(&self->history);
	g_clear_object(&self->feedback);
	g_clear_object(&self->db);
	g_clear_pointer(&self->watch, wf_watch_facts_free);
	/* AdwBin keeps its own pointer to the template's root */
	adw_bin_set_child(ADW_BIN(self), NULL);
	gtk_widget_dispose_template(GTK_WIDGET(self), WF_TYPE_FIRMWARE_PAGE);
	G_OBJECT_CLASS(wf_firmware_page_parent_class)->dispose(object);
}

static void
wf_firmware_page_finalize(GObject *object)
{
	WfFirmwarePage *self = WF_FIRMWARE_PAGE(object);

	g_ptr_array_unref(self->package_rows);
	g_ptr_array_unref(self->history_rows);
	g_ptr_array_unref(self->history_texts);
	g_hash_table_unref(self->verdicts);
	G_OBJECT_CLASS(wf_firmware_page_parent_class)->finalize(object);
}

static void
wf_firmware_page_class_init(WfFirmwarePageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = wf_firmware_page_dispose;
	object_class->finalize = wf_firmware_page_finalize;
	gtk_widget_class_set_template_from_resource(
		widget_class, "/io/github/wristflash/Wristflash/wf-firmware-page.ui");
	gtk_widget_class_bind_template_child(widget_class, WfFirmwarePage, stack);
	gtk_widget_class_bind_template_child(widget_class, WfFirmwarePage, library_group);
	gtk_widget_class_bind_template_child(widget_class, WfFirmwarePage, history_group);
	gtk_widget_class_bind_template_child(widget_class, WfFirmwarePage, history_empty_row);
	gtk_widget_class_install_action(
		widget_class, "firmware.add-folder", NULL, wf_firmware_page_add_folder_action);
	gtk_widget_class_install_action(
		widget_class, "firmware.add-archive", NULL, wf_firmware_page_add_archive_action);
	gtk_widget_class_install_action(
		widget_class, "firmware.remove", "s", wf_firmware_page_remove_action);
}

static void
wf_firmware_page_init(WfFirmwarePage *self)
{
	GtkDropTarget *drop;

	gtk_widget_init_template(GTK_WIDGET(self));
	/* GTK 4.8 names text buttons twice, underscore included */
	wf_a11y_fix_buttons(GTK_WIDGET(self));
	self->package_rows = g_ptr_array_new();
	self->history_rows = g_ptr_array_new();
	self->history_texts = g_ptr_array_new_with_free_func(g_free);
	self->verdicts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	drop = gtk_drop_target_new(GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
	g_signal_connect(drop, "drop", G_CALLBACK(wf_firmware_page_drop_cb), self);
	gtk_widget_add_controller(GTK_WIDGET(self), GTK_EVENT_CONTROLLER(drop));
	gtk_widget_set_visible(GTK_WIDGET(self->history_group), FALSE);
}
