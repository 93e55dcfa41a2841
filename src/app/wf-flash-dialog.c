/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-flash-dialog.h"

#include <glib/gi18n.h>

#include "wf-a11y.h"
#include "wf-error.h"
#include "wf-watch-page.h"

struct _WfFlashDialog {
	AdwWindow parent_instance;
	AdwWindowTitle *window_title;
	GtkStack *stack;
	GtkSpinner *preparing_spinner;
	AdwStatusPage *refused_status;
	GtkWidget *backup_button;
	GtkWidget *compat_group;
	AdwExpanderRow *compat_row;
	GtkWidget *risky_row;
	GtkCheckButton *risky_check;
	AdwPreferencesGroup *written_group;
	AdwPreferencesGroup *kept_group;
	AdwActionRow *backup_row;
	AdwActionRow *method_row;
	AdwActionRow *size_row;
	GtkProgressBar *progress_bar;
	GtkLabel *progress_label;
	AdwStatusPage *result_status;
	GtkWidget *revert_button;
	GtkWidget *feedback_clamp;
	GtkCheckButton *answer_works;
	GtkCheckButton *answer_touch;
	GtkCheckButton *answer_display;
	GtkCheckButton *answer_boot;
	GtkCheckButton *answer_other;
	AdwEntryRow *note_row;
	GtkWidget *answer_button;
	GtkButton *cancel_button;
	GtkWidget *write_button;

	WfConnection *connection;
	WfFlashJob *flash_job;
	WfFlashHistory *history;
	WfFlashFeedback *feedback;
	WfJob *job; /* preparing or writing */
	GPtrArray *written_rows;
	GPtrArray *kept_rows;
	gchar *backup_text;
	gchar *message; /* the refusal or the result, as shown */
	gchar *me_id;
	GDateTime *started; /* of the history entry, for "How did it go?" */
	gchar *revert_dir;
	gboolean stop_asked;
};

enum {
	SIGNAL_JOB_STARTED,
	SIGNAL_BACKUP_REQUESTED,
	SIGNAL_REVERT_REQUESTED,
	SIGNAL_WRITE_FINISHED,
	N_SIGNALS
};
static guint signals[N_SIGNALS] = {0};

G_DEFINE_FINAL_TYPE(WfFlashDialog, wf_flash_dialog, ADW_TYPE_WINDOW)

static gboolean
wf_flash_dialog_is_flash(WfFlashDialog *self)
{
	return wf_flash_job_get_kind(self->flash_job) == WF_FLASH_JOB_KIND_FLASH;
}

static void
wf_flash_dialog_set_view(WfFlashDialog *self, const gchar *view)
{
	gboolean final = g_strcmp0(view, "refused") == 0 || g_strcmp0(view, "result") == 0;

	gtk_stack_set_visible_child_name(self->stack, view);
	gtk_spinner_set_spinning(self->preparing_spinner, g_strcmp0(view, "preparing") == 0);
	gtk_widget_set_visible(self->write_button, g_strcmp0(view, "plan") == 0);
	if (final)
		gtk_button_set_label(self->cancel_button, _("_Close"));
	else if (g_strcmp0(view, "progress") == 0)
		/* TRANSLATORS: cancelling lets the block being written finish */
		gtk_button_set_label(self->cancel_button, _("_Stop After This Block"));
	else
		gtk_button_set_label(self->cancel_button, _("_Cancel"));
	wf_a11y_fix_button(self->cancel_button);
}

static void
wf_flash_dialog_set_message(WfFlashDialog *self, const gchar *message)
{
	g_free(self->message);
	self->message = g_strdup(message);
}

/**
 * wf_flash_dialog_refuse:
 * @offer_backup: show "Back Up This Watch"
 *
 * Shows why nothing can be written.
 */
void
wf_flash_dialog_refuse(WfFlashDialog *self,
		       const gchar *title,
		       const gchar *description,
		       gboolean offer_backup)
{
	g_return_if_fail(WF_IS_FLASH_DIALOG(self));
	adw_status_page_set_title(self->refused_status, title);
	adw_status_page_set_description(self->refused_status, description);
	gtk_widget_set_visible(self->backup_button, offer_backup);
	wf_flash_dialog_set_message(self, description);
	wf_flash_dialog_set_view(self, "refused");
}

/* ---- the plan ------------------------------------------------------------------------------- */

static gchar *
wf_flash_dialog_format_range(guint32 offset, guint32 length)
{
	g_autofree gchar *size = g_format_size_full(length, G_FORMAT_SIZE_IEC_UNITS);
	return g_strdup_printf("0x%06X–0x%06X · %s", offset, offset + length, size);
}

static const gchar *
wf_flash_dialog_region_kind_label(WfFlashRegionKind kind)
{
	switch (kind) {
	case WF_FLASH_REGION_KIND_BOOT_HEADER:
		return _("Boot header");
	case WF_FLASH_REGION_KIND_BOOTLOADER:
		return _("Bootloader");
	case WF_FLASH_REGION_KIND_FS_TAIL:
		return _("File system: IMEI, calibration, pairings");
	case WF_FLASH_REGION_KIND_MAIN:
	default:
		return _("Firmware");
	}
}

static GtkWidget *
wf_flash_dialog_region_row(const WfFlashRegion *region)
{
	GtkWidget *row = adw_action_row_new();
	g_autofree gchar *range = wf_flash_dialog_format_range(region->offset, region->length);
	/* TRANSLATORS: what a flash region holds, then its address range and size */
	g_autofree gchar *subtitle = g_strdup_printf(
		_("%s · %s"), wf_flash_dialog_region_kind_label(region->kind), range);

	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row),
				      region->name != NULL ? region->name : "");
	adw_action_row_set_subtitle(ADW_ACTION_ROW(row), subtitle);
	return row;
}

static void
wf_flash_dialog_clear_rows(AdwPreferencesGroup *group, GPtrArray *rows)
{
	for (guint i = 0; i < rows->len; i++)
		adw_preferences_group_remove(group, g_ptr_array_index(rows, i));
	g_ptr_array_set_size(rows, 0);
}

static const gchar *
wf_flash_dialog_level_icon(WfCompatLevel level)
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

static void
wf_flash_dialog_show_compat(WfFlashDialog *self)
{
	WfCompat *compat = wf_flash_job_get_compat(self->flash_job);
	GPtrArray *reasons;
	WfCompatVerdict verdict;

	gtk_widget_set_visible(self->compat_group, compat != NULL);
	gtk_widget_set_visible(self->risky_row, FALSE);
	if (compat == NULL)
		return;
	verdict = wf_compat_get_verdict(compat);
	if (verdict == WF_COMPAT_VERDICT_COMPATIBLE) {
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->compat_row),
					      _("Compatible"));
		adw_expander_row_set_subtitle(self->compat_row,
					      _("This firmware was made for this watch."));
	} else if (verdict == WF_COMPAT_VERDICT_RISKY) {
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->compat_row), _("Risky"));
		adw_expander_row_set_subtitle(self->compat_row,
					      _("It may start, but check every warning below."));
		adw_expander_row_set_expanded(self->compat_row, TRUE);
		gtk_widget_set_visible(self->risky_row, TRUE);
	} else {
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->compat_row),
					      _("Incompatible"));
		adw_expander_row_set_subtitle(self->compat_row,
					      _("Do not flash this firmware on this watch."));
	}
	reasons = wf_compat_get_reasons(compat);
	for (guint i = 0; i < reasons->len; i++) {
		const WfCompatReason *reason = g_ptr_array_index(reasons, i);
		GtkWidget *row = adw_action_row_new();
		GtkWidget *icon =
			gtk_image_new_from_icon_name(wf_flash_dialog_level_icon(reason->level));

		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), reason->message);
		adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
		adw_action_row_set_title_lines(ADW_ACTION_ROW(row), 0);
		gtk_accessible_update_property(GTK_ACCESSIBLE(icon),
					       GTK_ACCESSIBLE_PROPERTY_LABEL,
					       wf_compat_level_to_string(reason->level),
					       -1);
		adw_action_row_add_prefix(ADW_ACTION_ROW(row), icon);
		adw_expander_row_add_row(self->compat_row, row);
	}
}

static void
wf_flash_dialog_show_plan(WfFlashDialog *self)
{
	WfFlashPlan *plan = wf_flash_job_get_plan(self->flash_job);
	WfBackup *backup = wf_flash_job_get_backup(self->flash_job);
	g_autoptr(GPtrArray) kept = NULL;
	GPtrArray *regions;
	g_autofree gchar *method = NULL;
	g_autofree gchar *size = NULL;
	g_autofree gchar *size_text = NULL;

	wf_flash_dialog_clear_rows(self->written_group, self->written_rows);
	wf_flash_dialog_clear_rows(self->kept_group, self->kept_rows);
	regions = wf_flash_plan_get_regions(plan);
	for (guint i = 0; i < regions->len; i++) {
		GtkWidget *row = wf_flash_dialog_region_row(g_ptr_array_index(regions, i));
		adw_preferences_group_add(self->written_group, row);
		g_ptr_array_add(self->written_rows, row);
	}
	kept = wf_flash_plan_get_kept(plan);
	for (guint i = 0; i < kept->len; i++) {
		GtkWidget *row = wf_flash_dialog_region_row(g_ptr_array_index(kept, i));
		adw_preferences_group_add(self->kept_group, row);
		g_ptr_array_add(self->kept_rows, row);
	}
	gtk_widget_set_visible(GTK_WIDGET(self->kept_group), kept->len > 0);

	g_free(self->backup_text);
	if (backup != NULL)
		self->backup_text = g_strdup(wf_backup_get_dir(backup));
	else
		self->backup_text = g_strdup(_("None: there is no way back"));
	adw_action_row_set_subtitle(self->backup_row, self->backup_text);

	/* TRANSLATORS: a write method (SFI or DA) and why it was chosen */
	method =
		g_strdup_printf(_("%s — %s"),
				wf_flash_method_to_string(wf_flash_job_get_method(self->flash_job)),
				wf_flash_job_get_method_reason(self->flash_job));
	adw_action_row_set_subtitle(self->method_row, method);

	size = g_format_size_full(wf_flash_job_get_write_size(self->flash_job),
				  G_FORMAT_SIZE_IEC_UNITS);
	if (wf_flash_job_is_up_to_date(self->flash_job))
		size_text = g_strdup(_("Nothing: the watch already holds exactly this"));
	else
		/* TRANSLATORS: a size, then how many pieces */
		size_text = g_strdup_printf(
			ngettext("%s that differs, in %u piece; each is read back and compared",
				 "%s that differs, in %u pieces; each is read back and compared",
				 wf_flash_job_get_writes(self->flash_job)->len),
			size,
			wf_flash_job_get_writes(self->flash_job)->len);
	adw_action_row_set_subtitle(self->size_row, size_text);
	wf_flash_dialog_show_compat(self);
	wf_flash_dialog_set_view(self, "plan");
	gtk_widget_set_sensitive(self->write_button, wf_flash_dialog_can_write(self));
}

/**
 * wf_flash_dialog_can_write:
 *
 * Returns: whether "Write to the Watch" may be pressed now
 */
gboolean
wf_flash_dialog_can_write(WfFlashDialog *self)
{
	WfCompat *compat;

	g_return_val_if_fail(WF_IS_FLASH_DIALOG(self), FALSE);
	if (g_strcmp0(gtk_stack_get_visible_child_name(self->stack), "plan") != 0)
		return FALSE;
	if (wf_flash_job_is_up_to_date(self->flash_job))
		return FALSE;
	compat = wf_flash_job_get_compat(self->flash_job);
	if (compat != NULL && wf_compat_get_verdict(compat) == WF_COMPAT_VERDICT_INCOMPATIBLE)
		return FALSE;
	if (compat != NULL && wf_compat_get_verdict(compat) == WF_COMPAT_VERDICT_RISKY)
		return gtk_check_button_get_active(self->risky_check);
	return TRUE;
}

void
wf_flash_dialog_set_risk_accepted(WfFlashDialog *self, gboolean accepted)
{
	g_return_if_fail(WF_IS_FLASH_DIALOG(self));
	gtk_check_button_set_active(self->risky_check, accepted);
}

static void
wf_flash_dialog_risky_toggled_cb(WfFlashDialog *self, GtkCheckButton *check)
{
	gtk_widget_set_sensitive(self->write_button, wf_flash_dialog_can_write(self));
}

/* ---- jobs ----------------------------------------------------------------------------------- */

static void
wf_flash_dialog_drop_job(WfFlashDialog *self)
{
	if (self->job == NULL)
		return;
	g_signal_handlers_disconnect_by_data(self->job, self);
	g_clear_object(&self->job);
}

static void
wf_flash_dialog_describe_refusal(WfFlashDialog *self, const GError *error)
{
	gboolean no_backup = g_error_matches(error, WF_ERROR, WF_ERROR_REFUSED) &&
			     strstr(error->message, "backup") != NULL &&
			     wf_flash_job_get_backup(self->flash_job) == NULL;

	if (g_error_matches(error, WF_ERROR, WF_ERROR_REFUSED)) {
		WfCompat *compat = wf_flash_job_get_compat(self->flash_job);
		const gchar *title = _("Refused");

		if (compat != NULL &&
		    wf_compat_get_verdict(compat) == WF_COMPAT_VERDICT_INCOMPATIBLE)
			title = _("This Firmware Does Not Fit This Watch");
		else if (no_backup)
			title = _("Back Up This Watch First");
		wf_flash_dialog_refuse(self, title, error->message, no_backup);
		return;
	}
	{
		g_autofree gchar *title = NULL;
		wf_watch_page_describe_error(error, &title, NULL);
		wf_flash_dialog_refuse(self, title, error->message, FALSE);
	}
}

static void
wf_flash_dialog_prepare_completed_cb(WfJob *job, const GError *error, gpointer user_data)
{
	WfFlashDialog *self = WF_FLASH_DIALOG(user_data);

	wf_flash_dialog_drop_job(self);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		gtk_window_destroy(GTK_WINDOW(self));
		return;
	}
	if (error != NULL) {
		wf_flash_dialog_describe_refusal(self, error);
		return;
	}
	wf_flash_dialog_show_plan(self);
}

/**
 * wf_flash_dialog_start:
 *
 * Compares with the watch and shows the plan (or why not).
 */
void
wf_flash_dialog_start(WfFlashDialog *self)
{
	g_autoptr(GError) error = NULL;
	WfJob *job;

	g_return_if_fail(WF_IS_FLASH_DIALOG(self));
	wf_flash_dialog_set_view(self, "preparing");
	job = wf_connection_prepare_write(self->connection, self->flash_job, &error);
	if (job == NULL) {
		wf_flash_dialog_describe_refusal(self, error);
		return;
	}
	self->job = g_object_ref(job);
	g_signal_connect(job, "completed", G_CALLBACK(wf_flash_dialog_prepare_completed_cb), self);
}

static void
wf_flash_dialog_progress_cb(WfJob *job, GParamSpec *pspec, gpointer user_data)
{
	WfFlashDialog *self = WF_FLASH_DIALOG(user_data);
	g_autofree gchar *text = wf_watch_page_format_progress(wf_job_get_bytes_done(job),
							       wf_job_get_bytes_total(job),
							       wf_job_get_rate(job),
							       wf_job_get_message(job));

	gtk_progress_bar_set_fraction(self->progress_bar, wf_job_get_fraction(job));
	gtk_label_set_label(self->progress_label, text);
}

/* the history entry this run added: its start time keys the answer */
static void
wf_flash_dialog_find_started(WfFlashDialog *self)
{
	g_autoptr(GPtrArray) entries = NULL;
	WfFlashHistoryEntry *last;

	if (self->history == NULL || self->me_id == NULL)
		return;
	entries = wf_flash_history_load(self->history, self->me_id, NULL);
	if (entries == NULL || entries->len == 0)
		return;
	last = g_ptr_array_index(entries, entries->len - 1);
	g_clear_pointer(&self->started, g_date_time_unref);
	if (last->started != NULL)
		self->started = g_date_time_ref(last->started);
}

static void
wf_flash_dialog_run_completed_cb(WfJob *job, const GError *error, gpointer user_data)
{
	WfFlashDialog *self = WF_FLASH_DIALOG(user_data);
	WfBackup *backup = wf_flash_job_get_backup(self->flash_job);
	gboolean flash = wf_flash_dialog_is_flash(self);
	g_autofree gchar *outcome = wf_flash_job_get_outcome_text(self->flash_job);

	wf_flash_dialog_drop_job(self);
	g_clear_pointer(&self->revert_dir, g_free);
	if (backup != NULL)
		self->revert_dir = g_strdup(wf_backup_get_dir(backup));
	wf_flash_dialog_find_started(self);
	if (error == NULL) {
		g_autofree gchar *size = g_format_size_full(
			wf_flash_job_get_write_size(self->flash_job), G_FORMAT_SIZE_IEC_UNITS);
		g_autofree gchar *text = NULL;

		/* TRANSLATORS: size, seconds and method (SFI or DA) */
		text = g_strdup_printf(
			_("%s written and read back equal in %.0f s through %s. "
			  "The watch restarts now."),
			size,
			wf_flash_job_get_seconds(self->flash_job),
			wf_flash_method_to_string(wf_flash_job_get_method(self->flash_job)));
		adw_status_page_set_icon_name(self->result_status, "emblem-ok-symbolic");
		adw_status_page_set_title(self->result_status,
					  flash ? _("Firmware Written") : _("Backup Restored"));
		adw_status_page_set_description(self->result_status, text);
		wf_flash_dialog_set_message(self, text);
	} else {
		g_autofree gchar *text = g_strdup_printf("%s%s%s",
							 error->message,
							 outcome != NULL ? "\n\n" : "",
							 outcome ? outcome : "");
		adw_status_page_set_icon_name(self->result_status, "dialog-warning-symbolic");
		adw_status_page_set_title(self->result_status,
					  g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
						  ? _("Stopped")
						  : _("The Write Stopped"));
		adw_status_page_set_description(self->result_status, text);
		wf_flash_dialog_set_message(self, text);
	}
	gtk_widget_set_visible(self->revert_button, self->revert_dir != NULL && flash);
	gtk_widget_set_visible(self->feedback_clamp, flash && error == NULL && self->started);
	wf_flash_dialog_set_view(self, "result");
	g_signal_emit(self, signals[SIGNAL_WRITE_FINISHED], 0, error == NULL);
	if (self->stop_asked)
		gtk_window_destroy(GTK_WINDOW(self));
}

/**
 * wf_flash_dialog_write:
 *
 * What "Write to the Watch" does: runs the prepared job.
 *
 * Returns: whether writing started
 */
gboolean
wf_flash_dialog_write(WfFlashDialog *self)
{
	g_autoptr(GError) error = NULL;
	WfJob *job;
	WfCompat *compat;

	g_return_val_if_fail(WF_IS_FLASH_DIALOG(self), FALSE);
	if (!wf_flash_dialog_can_write(self))
		return FALSE;
	compat = wf_flash_job_get_compat(self->flash_job);
	if (compat != NULL && wf_compat_get_verdict(compat) == WF_COMPAT_VERDICT_RISKY)
		wf_flash_job_set_flags(self->flash_job, WF_FLASH_JOB_FLAG_ACCEPT_RISKY);
	job = wf_connection_run_write(self->connection, self->flash_job, &error);
	if (job == NULL) {
		wf_flash_dialog_describe_refusal(self, error);
		return FALSE;
	}
	self->job = g_object_ref(job);
	gtk_progress_bar_set_fraction(self->progress_bar, 0);
	gtk_label_set_label(self->progress_label, "");
	g_signal_connect(job, "notify::fraction", G_CALLBACK(wf_flash_dialog_progress_cb), self);
	g_signal_connect(job, "notify::message", G_CALLBACK(wf_flash_dialog_progress_cb), self);
	g_signal_connect(job, "completed", G_CALLBACK(wf_flash_dialog_run_completed_cb), self);
	wf_flash_dialog_set_view(self, "progress");
	g_signal_emit(self, signals[SIGNAL_JOB_STARTED], 0, job);
	return TRUE;
}

/* ---- "How did it go?" ----------------------------------------------------------------------- */

/**
 * wf_flash_dialog_save_answer:
 * @answer: one of the WF_FLASH_FEEDBACK_ answers
 * @note: (nullable): what the user wrote
 *
 * Stores the answer for this flash in the watch's history folder.
 */
gboolean
wf_flash_dialog_save_answer(WfFlashDialog *self,
			    const gchar *answer,
			    const gchar *note,
			    GError **error)
{
	g_return_val_if_fail(WF_IS_FLASH_DIALOG(self), FALSE);
	if (self->feedback == NULL || self->started == NULL) {
		g_set_error_literal(error,
				    WF_ERROR,
				    WF_ERROR_NOT_FOUND,
				    "no flash of this watch to answer for");
		return FALSE;
	}
	return wf_flash_feedback_set(
		self->feedback, self->me_id, self->started, answer, note, error);
}

static const gchar *
wf_flash_dialog_chosen_answer(WfFlashDialog *self)
{
	if (gtk_check_button_get_active(self->answer_works))
		return WF_FLASH_FEEDBACK_WORKS;
	if (gtk_check_button_get_active(self->answer_touch))
		return WF_FLASH_FEEDBACK_TOUCH_DEAD;
	if (gtk_check_button_get_active(self->answer_display))
		return WF_FLASH_FEEDBACK_DISPLAY_WRONG;
	if (gtk_check_button_get_active(self->answer_boot))
		return WF_FLASH_FEEDBACK_NO_BOOT;
	if (gtk_check_button_get_active(self->answer_other))
		return WF_FLASH_FEEDBACK_OTHER;
	return NULL;
}

static void
wf_flash_dialog_answer_clicked_cb(WfFlashDialog *self, GtkButton *button)
{
	const gchar *answer = wf_flash_dialog_chosen_answer(self);
	g_autoptr(GError) error = NULL;

	if (answer == NULL)
		return;
	if (!wf_flash_dialog_save_answer(
		    self, answer, gtk_editable_get_text(GTK_EDITABLE(self->note_row)), &error)) {
		g_warning("answer not saved: %s", error->message);
		return;
	}
	gtk_button_set_label(GTK_BUTTON(self->answer_button), _("Saved"));
	wf_a11y_fix_button(GTK_BUTTON(self->answer_button));
	gtk_widget_set_sensitive(self->answer_button, FALSE);
}

/* ---- buttons -------------------------------------------------------------------------------- */

static void
wf_flash_dialog_write_clicked_cb(WfFlashDialog *self, GtkButton *button)
{
	wf_flash_dialog_write(self);
}

static void
wf_flash_dialog_backup_clicked_cb(WfFlashDialog *self, GtkButton *button)
{
	g_signal_emit(self, signals[SIGNAL_BACKUP_REQUESTED], 0);
	gtk_window_destroy(GTK_WINDOW(self));
}

static void
wf_flash_dialog_revert_clicked_cb(WfFlashDialog *self, GtkButton *button)
{
	g_autofree gchar *dir = g_strdup(self->revert_dir);

	gtk_window_destroy(GTK_WINDOW(self));
	g_signal_emit(self, signals[SIGNAL_REVERT_REQUESTED], 0, dir);
}

static void
wf_flash_dialog_stop_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer data)
{
	WfFlashDialog *self = WF_FLASH_DIALOG(data);

	if (g_strcmp0(response, "stop") != 0 || self->job == NULL)
		return;
	self->stop_asked = TRUE;
	wf_job_cancel(self->job);
}

/* stopping a write half-way is the user's call, asked once */
static void
wf_flash_dialog_ask_stop(WfFlashDialog *self)
{
	AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG(adw_message_dialog_new(
		GTK_WINDOW(self),
		_("Stop Writing?"),
		_("The block being written is finished first. The watch then holds part of the "
		  "new data and part of the old: it still starts in the boot ROM, and restoring "
		  "your backup repairs it.")));

	adw_message_dialog_add_responses(
		dialog, "cancel", _("_Keep Writing"), "stop", _("_Stop"), NULL);
	adw_message_dialog_set_response_appearance(dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
	adw_message_dialog_set_default_response(dialog, "cancel");
	adw_message_dialog_set_close_response(dialog, "cancel");
	g_signal_connect(dialog, "response", G_CALLBACK(wf_flash_dialog_stop_response_cb), self);
	gtk_window_present(GTK_WINDOW(dialog));
}

static void
wf_flash_dialog_cancel_clicked_cb(WfFlashDialog *self, GtkButton *button)
{
	const gchar *view = gtk_stack_get_visible_child_name(self->stack);

	if (g_strcmp0(view, "progress") == 0 && self->job != NULL) {
		wf_flash_dialog_ask_stop(self);
		return;
	}
	if (g_strcmp0(view, "preparing") == 0 && self->job != NULL) {
		/* closes once the worker stopped reading */
		wf_job_cancel(self->job);
		return;
	}
	gtk_window_destroy(GTK_WINDOW(self));
}

static gboolean
wf_flash_dialog_close_request(GtkWindow *window)
{
	WfFlashDialog *self = WF_FLASH_DIALOG(window);

	if (self->job != NULL) {
		wf_flash_dialog_cancel_clicked_cb(self, NULL);
		return TRUE;
	}
	return GTK_WINDOW_CLASS(wf_flash_dialog_parent_class)->close_request(window);
}

/* ---- getters for tests ---------------------------------------------------------------------- */

/**
 * wf_flash_dialog_get_view:
 *
 * Returns: "preparing", "refused", "plan", "progress" or "result"
 */
const gchar *
wf_flash_dialog_get_view(WfFlashDialog *self)
{
	g_return_val_if_fail(WF_IS_FLASH_DIALOG(self), NULL);
	return gtk_stack_get_visible_child_name(self->stack);
}

WfFlashJob *
wf_flash_dialog_get_flash_job(WfFlashDialog *self)
{
	g_return_val_if_fail(WF_IS_FLASH_DIALOG(self), NULL);
	return self->flash_job;
}

guint
wf_flash_dialog_get_n_written_rows(WfFlashDialog *self)
{
	g_return_val_if_fail(WF_IS_FLASH_DIALOG(self), 0);
	return self->written_rows->len;
}

guint
wf_flash_dialog_get_n_kept_rows(WfFlashDialog *self)
{
	g_return_val_if_fail(WF_IS_FLASH_DIALOG(self), 0);
	return self->kept_rows->len;
}

/**
 * wf_flash_dialog_get_backup_text:
 *
 * Returns: (nullable): the protecting backup as the plan shows it
 */
const gchar *
wf_flash_dialog_get_backup_text(WfFlashDialog *self)
{
	g_return_val_if_fail(WF_IS_FLASH_DIALOG(self), NULL);
	return self->backup_text;
}

/**
 * wf_flash_dialog_get_message:
 *
 * Returns: (nullable): the refusal or the result text shown
 */
const gchar *
wf_flash_dialog_get_message(WfFlashDialog *self)
{
	g_return_val_if_fail(WF_IS_FLASH_DIALOG(self), NULL);
	return self->message;
}

/* ---- object --------------------------------------------------------------------------------- */

static void
wf_flash_dialog_dispose(GObject *object)
{
	WfFlashDialog *self = WF_FLASH_DIALOG(object);

	wf_flash_dialog_drop_job(self);
	g_clear_object(&self->connection);
	g_clear_object(&self->flash_job);
	g_clear_object(&self->history);
	g_clear_object(&self->feedback);
	gtk_widget_dispose_template(GTK_WIDGET(self), WF_TYPE_FLASH_DIALOG);
	G_OBJECT_CLASS(wf_flash_dialog_parent_class)->dispose(object);
}

static void
wf_flash_dialog_finalize(GObject *object)
{
	WfFlashDialog *self = WF_FLASH_DIALOG(object);

	g_ptr_array_unref(self->written_rows);
	g_ptr_array_unref(self->kept_rows);
	g_free(self->backup_text);
	g_free(self->message);
	g_free(self->me_id);
	g_free(self->revert_dir);
	g_clear_pointer(&self->started, g_date_time_unref);
	G_OBJECT_CLASS(wf_flash_dialog_parent_class)->finalize(object);
}

static void
wf_flash_dialog_class_init(WfFlashDialogClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = wf_flash_dialog_dispose;
	object_class->finalize = wf_flash_dialog_finalize;
	GTK_WINDOW_CLASS(klass)->close_request = wf_flash_dialog_close_request;

	/* the write job started: the window keeps the session awake */
	signals[SIGNAL_JOB_STARTED] = g_signal_new("job-started",
						   G_TYPE_FROM_CLASS(klass),
						   G_SIGNAL_RUN_LAST,
						   0,
						   NULL,
						   NULL,
						   NULL,
						   G_TYPE_NONE,
						   1,
						   WF_TYPE_JOB);
	signals[SIGNAL_BACKUP_REQUESTED] = g_signal_new("backup-requested",
							G_TYPE_FROM_CLASS(klass),
							G_SIGNAL_RUN_LAST,
							0,
							NULL,
							NULL,
							NULL,
							G_TYPE_NONE,
							0);
	signals[SIGNAL_REVERT_REQUESTED] = g_signal_new("revert-requested",
							G_TYPE_FROM_CLASS(klass),
							G_SIGNAL_RUN_LAST,
							0,
							NULL,
							NULL,
							NULL,
							G_TYPE_NONE,
							1,
							G_TYPE_STRING);
	signals[SIGNAL_WRITE_FINISHED] = g_signal_new("write-finished",
						      G_TYPE_FROM_CLASS(klass),
						      G_SIGNAL_RUN_LAST,
						      0,
						      NULL,
						      NULL,
						      NULL,
						      G_TYPE_NONE,
						      1,
						      G_TYPE_BOOLEAN);

	gtk_widget_class_set_template_from_resource(
		widget_class, "/io/github/wristflash/Wristflash/wf-flash-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child(widget_class, WfFlashDialog, name)
	BIND(window_title);
	BIND(stack);
	BIND(preparing_spinner);
	BIND(refused_status);
	BIND(backup_button);
	BIND(compat_group);
	BIND(compat_row);
	BIND(risky_row);
	BIND(risky_check);
	BIND(written_group);
	BIND(kept_group);
	BIND(backup_row);
	BIND(method_row);
	BIND(size_row);
	BIND(progress_bar);
	BIND(progress_label);
	BIND(result_status);
	BIND(revert_button);
	BIND(feedback_clamp);
	BIND(answer_works);
	BIND(answer_touch);
	BIND(answer_display);
	BIND(answer_boot);
	BIND(answer_other);
	BIND(note_row);
	BIND(answer_button);
	BIND(cancel_button);
	BIND(write_button);
#undef BIND
	gtk_widget_class_bind_template_callback(widget_class, wf_flash_dialog_risky_toggled_cb);
	gtk_widget_class_bind_template_callback(widget_class, wf_flash_dialog_answer_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, wf_flash_dialog_write_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, wf_flash_dialog_backup_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, wf_flash_dialog_revert_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, wf_flash_dialog_cancel_clicked_cb);
}

static void
wf_flash_dialog_init(WfFlashDialog *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	/* GTK 4.8 names text buttons twice, underscore included */
	wf_a11y_fix_buttons(GTK_WIDGET(self));
	self->written_rows = g_ptr_array_new();
	self->kept_rows = g_ptr_array_new();
}

/**
 * wf_flash_dialog_new:
 * @flash_job: a restore or flash with its inputs set, not prepared yet
 * @history: (nullable): where the run is recorded (the job's too)
 * @feedback: (nullable): where "How did it go?" is kept
 *
 * Call wf_flash_dialog_start() (or wf_flash_dialog_refuse()) next.
 */
WfFlashDialog *
wf_flash_dialog_new(GtkWindow *parent,
		    WfConnection *connection,
		    WfFlashJob *flash_job,
		    WfFlashHistory *history,
		    WfFlashFeedback *feedback,
		    const gchar *title)
{
	WfFlashDialog *self;
	WfDeviceInfo *info;

	g_return_val_if_fail(WF_IS_CONNECTION(connection), NULL);
	g_return_val_if_fail(WF_IS_FLASH_JOB(flash_job), NULL);
	self = g_object_new(WF_TYPE_FLASH_DIALOG, "transient-for", parent, "title", title, NULL);
	self->connection = g_object_ref(connection);
	self->flash_job = g_object_ref(flash_job);
	self->history = history != NULL ? g_object_ref(history) : NULL;
	self->feedback = feedback != NULL ? g_object_ref(feedback) : NULL;
	info = wf_connection_get_device_info(connection);
	if (info != NULL)
		self->me_id = g_strdup(wf_device_info_get_me_id_string(info));
	adw_window_title_set_title(self->window_title, title);
	if (history != NULL)
		wf_flash_job_set_history(flash_job, history);
	return self;
}
