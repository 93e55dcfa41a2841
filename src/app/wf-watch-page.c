/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-watch-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wf-a11y.h"
#include "wf-error.h"

struct _WfWatchPage {
	AdwBin parent_instance;
	GtkStack *stack;
	AdwStatusPage *waiting_status;
	GtkWidget *virtual_button;
	AdwStatusPage *connecting_status;
	GtkWidget *firmware_value;
	GtkWidget *model_value;
	AdwActionRow *model_row;
	GtkWidget *retry_button;
	GtkWidget *disconnect_button;
	GtkBox *listening_box;
	GtkSpinner *listening_spinner;
	GtkLabel *listening_label;
	GtkListBox *steps_list;
	GtkLabel *watch_title;
	GtkLabel *watch_subtitle;
	GtkLabel *chip_value;
	GtkLabel *flash_value;
	GtkLabel *size_value;
	GtkLabel *me_id_value;
	AdwActionRow *backup_row;
	GtkImage *backup_icon;
	GtkButton *backup_button;
	GtkBox *progress_box;
	GtkProgressBar *progress_bar;
	GtkLabel *progress_label;
	AdwStatusPage *error_status;
	GtkLabel *error_fix;
	GtkExpander *error_details;
	GtkLabel *error_details_label;

	AdwActionRow *step_rows[WF_WATCH_STEP_LAST];
	GtkImage *step_icons[WF_WATCH_STEP_LAST];
	GtkSpinner *step_spinners[WF_WATCH_STEP_LAST];
	WfJob *job;
};

G_DEFINE_FINAL_TYPE(WfWatchPage, wf_watch_page, ADW_TYPE_BIN)

void
wf_watch_summary_clear(WfWatchSummary *summary)
{
	g_clear_pointer(&summary->title, g_free);
	g_clear_pointer(&summary->subtitle, g_free);
	g_clear_pointer(&summary->chip, g_free);
	g_clear_pointer(&summary->flash, g_free);
	g_clear_pointer(&summary->size, g_free);
	g_clear_pointer(&summary->me_id, g_free);
}

static const gchar *
wf_watch_step_title(WfWatchStep step)
{
	switch (step) {
	case WF_WATCH_STEP_PORT:
		/* TRANSLATORS: a step while connecting: the watch's USB port appeared */
		return _("Port found");
	case WF_WATCH_STEP_HANDSHAKE:
		/* TRANSLATORS: a step while connecting: the start sequence of the boot ROM */
		return _("Handshake");
	case WF_WATCH_STEP_IDENTIFY:
		/* TRANSLATORS: a step while connecting: chip and flash have been read */
		return _("Identified");
	default:
		return NULL;
	}
}

static void
wf_watch_page_build_steps(WfWatchPage *self)
{
	for (guint i = 0; i < WF_WATCH_STEP_LAST; i++) {
		AdwActionRow *row = ADW_ACTION_ROW(adw_action_row_new());
		GtkWidget *icon = gtk_image_new();
		GtkWidget *spinner = gtk_spinner_new();

		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), wf_watch_step_title(i));
		gtk_accessible_update_property(
			GTK_ACCESSIBLE(icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
		adw_action_row_add_prefix(row, icon);
		adw_action_row_add_suffix(row, spinner);
		gtk_list_box_append(self->steps_list, GTK_WIDGET(row));
		self->step_rows[i] = row;
		self->step_icons[i] = GTK_IMAGE(icon);
		self->step_spinners[i] = GTK_SPINNER(spinner);
	}
}

/**
 * wf_watch_page_get_view:
 *
 * Returns: which view shows: "waiting", "connecting", "connected" or "error"
 */
const gchar *
wf_watch_page_get_view(WfWatchPage *self)
{
	g_return_val_if_fail(WF_IS_WATCH_PAGE(self), NULL);
	return gtk_stack_get_visible_child_name(self->stack);
}

/**
 * wf_watch_page_show_waiting:
 * @listening: whether Wristflash is already watching for the port
 */
void
wf_watch_page_show_waiting(WfWatchPage *self, gboolean listening)
{
	g_return_if_fail(WF_IS_WATCH_PAGE(self));
	gtk_spinner_set_spinning(self->listening_spinner, listening);
	gtk_widget_set_visible(GTK_WIDGET(self->listening_spinner), listening);
	gtk_label_set_label(self->listening_label,
			    listening ? _("Listening for the watch…")
				      : _("Not listening for watches right now"));
	gtk_stack_set_visible_child_name(self->stack, "waiting");
}

/**
 * wf_watch_page_show_connecting:
 * @step: the step in progress; the ones before it are done
 * @detail: (nullable): shown under the port step, e.g. the port's path
 */
void
wf_watch_page_show_connecting(WfWatchPage *self, WfWatchStep step, const gchar *detail)
{
	g_return_if_fail(WF_IS_WATCH_PAGE(self));
	g_return_if_fail(step < WF_WATCH_STEP_LAST);

	for (guint i = 0; i < WF_WATCH_STEP_LAST; i++) {
		gboolean done = i < step;
		gboolean active = i == step;
		const gchar *state;

		gtk_image_set_from_icon_name(self->step_icons[i],
					     done ? "emblem-ok-symbolic"
						  : "content-loading-symbolic");
		gtk_widget_set_opacity(GTK_WIDGET(self->step_icons[i]), done ? 1.0 : 0.4);
		gtk_spinner_set_spinning(self->step_spinners[i], active);
		gtk_widget_set_visible(GTK_WIDGET(self->step_spinners[i]), active);
		if (done)
			/* TRANSLATORS: the state of a connection step, read by screen readers */
			state = _("done");
		else if (active)
			/* TRANSLATORS: the state of a connection step, read by screen readers */
			state = _("in progress");
		else
			/* TRANSLATORS: the state of a connection step, read by screen readers */
			state = _("waiting");
		gtk_accessible_update_property(GTK_ACCESSIBLE(self->step_rows[i]),
					       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
					       state,
					       -1);
	}
	if (step == WF_WATCH_STEP_PORT || detail != NULL)
		adw_action_row_set_subtitle(self->step_rows[WF_WATCH_STEP_PORT],
					    detail != NULL ? detail : "");
	gtk_stack_set_visible_child_name(self->stack, "connecting");
}

void
wf_watch_page_show_connected(WfWatchPage *self, const WfWatchSummary *summary)
{
	g_return_if_fail(WF_IS_WATCH_PAGE(self));
	g_return_if_fail(summary != NULL);

	gtk_label_set_label(self->watch_title, summary->title != NULL ? summary->title : "");
	gtk_label_set_label(self->watch_subtitle,
			    summary->subtitle != NULL ? summary->subtitle : "");
	gtk_label_set_label(self->chip_value, summary->chip != NULL ? summary->chip : _("Unknown"));
	gtk_label_set_label(self->flash_value,
			    summary->flash != NULL ? summary->flash : _("Unknown"));
	gtk_label_set_label(self->size_value, summary->size != NULL ? summary->size : _("Unknown"));
	gtk_label_set_label(self->me_id_value,
			    summary->me_id != NULL ? summary->me_id : _("Unknown"));
	gtk_stack_set_visible_child_name(self->stack, "connected");
}

/* A wrapping label beside a row title is given almost no width by GTK: ask
 * for room for its text (up to a limit) so short values stay on one line. */
static void
wf_watch_page_size_value_label(GtkLabel *label)
{
	glong len = g_utf8_strlen(gtk_label_get_label(label), -1);

	gtk_label_set_wrap(label, TRUE);
	gtk_label_set_width_chars(label, (gint)MIN(len, 32));
	gtk_label_set_max_width_chars(label, 48);
}

/**
 * wf_watch_page_set_identity:
 * @firmware: the firmware the watch holds, in words
 * @model: the best matching model, in words
 * @evidence: (nullable): why that model, one reason per line
 */
void
wf_watch_page_set_identity(WfWatchPage *self,
			   const gchar *firmware,
			   const gchar *model,
			   const gchar *evidence)
{
	g_return_if_fail(WF_IS_WATCH_PAGE(self));
	/* both are read from the watch's backup: say so rather than show nothing */
	gtk_label_set_label(GTK_LABEL(self->firmware_value),
			    firmware != NULL ? firmware : _("Known after the first backup"));
	gtk_label_set_label(GTK_LABEL(self->model_value),
			    model != NULL ? model : _("Known after the first backup"));
	wf_watch_page_size_value_label(GTK_LABEL(self->firmware_value));
	wf_watch_page_size_value_label(GTK_LABEL(self->model_value));
	adw_action_row_set_subtitle(self->model_row, evidence != NULL ? evidence : "");
}

/**
 * wf_watch_page_describe_error:
 * @error: what went wrong while catching or talking to the watch
 * @title: (out): a short translated heading
 * @fix_markup: (out): what to do about it, Pango markup
 *
 * Maps the core's error codes to advice. The error message itself carries
 * the specifics (which process holds the port, which step timed out) and
 * is shown next to it.
 */
void
wf_watch_page_describe_error(const GError *error, gchar **title, gchar **fix_markup)
{
	const gchar *t = _("Something Went Wrong");
	const gchar *fix = _("Switch the watch off, then plug it in again. If it keeps happening, "
			     "export a report from the Log page and send it to the developers.");

	g_return_if_fail(error != NULL);
	if (error->domain == WF_ERROR) {
		switch (error->code) {
		case WF_ERROR_BUSY:
			t = _("Another Program Is Using the Port");
			if (strstr(error->message, "ModemManager") != NULL)
				/* TRANSLATORS: keep the <tt> tags and the command unchanged */
				fix = _("ModemManager, the mobile broadband service, took the "
					"watch’s port. Stop it for now with\n"
					"<tt>sudo systemctl stop ModemManager</tt>\n"
					"The udev rule that comes with Wristflash keeps it away "
					"for "
					"good. Then plug the watch in again.");
			else
				fix = _("Close the program named above, then plug the watch in "
					"again.");
			break;
		case WF_ERROR_PERMISSION_DENIED:
			t = _("No Permission to Open the Port");
			/* TRANSLATORS: keep the <tt> tags and the commands unchanged */
			fix = _("Install the udev rule that comes with Wristflash, then plug the "
				"watch in again:\n"
				"<tt>sudo cp 70-wristflash.rules /etc/udev/rules.d/\n"
				"sudo udevadm control --reload</tt>\n"
				"Or join the dialout group with "
				"<tt>sudo usermod -aG dialout $USER</tt> and log in again.");
			break;
		case WF_ERROR_DEVICE_LOST:
			t = _("The Watch Went Away");
			fix = _("Plug it in again; the window is about one second. Wristflash "
				"catches the watch as soon as its port appears.");
			break;
		case WF_ERROR_TIMED_OUT:
			t = _("The Watch Did Not Answer");
			fix = _("Switch the watch off completely, then plug it in again. If its "
				"battery can be taken out, try both with and without it.");
			break;
		case WF_ERROR_PROTOCOL:
			t = _("This Is Not the Watch’s Boot Port");
			fix = _("The watch may have started normally, or another program answered "
				"on the port. Switch the watch off, then plug it in again.");
			break;
		case WF_ERROR_NOT_FOUND:
			t = _("No Watch Found");
			fix = _("Switch the watch off, then plug it in. Use a USB data cable, not "
				"a charging-only one.");
			break;
		case WF_ERROR_NOT_SUPPORTED:
			t = _("This Watch Is Not Supported Yet");
			fix = _("Export a report from the Log page and send it to the developers, "
				"so that support for it can be added.");
			break;
		case WF_ERROR_VERIFY_FAILED:
			t = _("The Two Reads Differ");
			fix = _("The link or the flash is unreliable, so the backup was not "
				"kept. Try another USB cable or port, then back up again.");
			break;
		case WF_ERROR_WRITE:
			t = _("Could Not Write the Backup");
			fix = _("Check that the backup folder exists, is writable and has free "
				"space. You can choose another folder in Preferences.");
			break;
		default:
			break;
		}
	}
	if (title != NULL)
		*title = g_strdup(t);
	if (fix_markup != NULL)
		*fix_markup = g_strdup(fix);
}

/**
 * wf_watch_page_format_error_details:
 *
 * Returns: the raw error for a bug report: "message (busy)", or with the
 *   domain and number for errors from outside Wristflash
 */
gchar *
wf_watch_page_format_error_details(const GError *error)
{
	g_return_val_if_fail(error != NULL, NULL);
	if (error->domain == WF_ERROR && wf_error_to_string(error->code) != NULL)
		return g_strdup_printf("%s (%s)", error->message, wf_error_to_string(error->code));
	return g_strdup_printf(
		"%s (%s %d)", error->message, g_quark_to_string(error->domain), error->code);
}

static gchar *
wf_watch_page_sentence(const gchar *message)
{
	g_autofree gchar *first = NULL;

	if (message == NULL || *message == '\0')
		return g_strdup("");
	/* core messages are lower-case fragments; show them as a sentence */
	first = g_utf8_strup(message, g_utf8_next_char(message) - message);
	return g_strdup_printf("%s%s%s",
			       first,
			       g_utf8_next_char(message),
			       g_str_has_suffix(message, ".") ? "" : ".");
}

void
wf_watch_page_show_error(WfWatchPage *self, const GError *error)
{
	g_autofree gchar *title = NULL;
	g_autofree gchar *fix = NULL;
	g_autofree gchar *cause = NULL;
	g_autofree gchar *details = NULL;

	g_return_if_fail(WF_IS_WATCH_PAGE(self));
	g_return_if_fail(error != NULL);

	wf_watch_page_describe_error(error, &title, &fix);
	cause = wf_watch_page_sentence(error->message);
	details = wf_watch_page_format_error_details(error);
	adw_status_page_set_title(self->error_status, title);
	adw_status_page_set_description(self->error_status, cause);
	gtk_label_set_markup(self->error_fix, fix);
	gtk_label_set_label(self->error_details_label, details);
	gtk_expander_set_expanded(self->error_details, FALSE);
	gtk_stack_set_visible_child_name(self->stack, "error");
}

/**
 * wf_watch_page_set_backup_state:
 * @have_backup: whether a backup of this watch exists
 * @title: e.g. "No backup of this watch yet" or "Backed up on …"
 * @subtitle: (nullable): one more line
 */
void
wf_watch_page_set_backup_state(WfWatchPage *self,
			       gboolean have_backup,
			       const gchar *title,
			       const gchar *subtitle)
{
	g_return_if_fail(WF_IS_WATCH_PAGE(self));
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->backup_row), title);
	adw_action_row_set_subtitle(self->backup_row, subtitle != NULL ? subtitle : "");
	gtk_image_set_from_icon_name(
		self->backup_icon, have_backup ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
	/* the first backup is the thing to do; another one is merely possible */
	if (have_backup) {
		gtk_widget_remove_css_class(GTK_WIDGET(self->backup_button), "suggested-action");
		gtk_button_set_label(self->backup_button, _("_Back Up Again"));
	} else {
		gtk_widget_add_css_class(GTK_WIDGET(self->backup_button), "suggested-action");
		gtk_button_set_label(self->backup_button, _("_Back Up"));
	}
	wf_a11y_fix_button(self->backup_button);
}

/**
 * wf_watch_page_format_progress:
 * @rate: bytes per second, 0 if unknown
 * @message: (nullable): what the job is doing
 *
 * Returns: "Reading the flash — 3.1 MB of 8.4 MB, 98.0 kB/s, about 1 minute left"
 */
gchar *
wf_watch_page_format_progress(guint64 done, guint64 total, gdouble rate, const gchar *message)
{
	GString *str = g_string_new(message != NULL ? message : "");

	if (total > 0) {
		g_autofree gchar *done_str = g_format_size_full(done, G_FORMAT_SIZE_IEC_UNITS);
		g_autofree gchar *total_str = g_format_size_full(total, G_FORMAT_SIZE_IEC_UNITS);

		if (str->len > 0)
			g_string_append(str, " — ");
		/* TRANSLATORS: progress, e.g. "3.1 MiB of 8.0 MiB" */
		g_string_append_printf(str, _("%s of %s"), done_str, total_str);
		if (rate > 0) {
			g_autofree gchar *rate_str =
				g_format_size_full((guint64)rate, G_FORMAT_SIZE_IEC_UNITS);
			guint64 left = (guint64)((total - MIN(done, total)) / rate);

			/* TRANSLATORS: a transfer speed, e.g. "98.0 KiB/s" */
			g_string_append_printf(str, _(", %s/s"), rate_str);
			if (left >= 60) {
				guint minutes = (guint)((left + 30) / 60);
				g_string_append_printf(str,
						       ngettext(", about %u minute left",
								", about %u minutes left",
								minutes),
						       minutes);
			} else {
				g_string_append_printf(str,
						       ngettext(", %u second left",
								", %u seconds left",
								(guint)left),
						       (guint)left);
			}
		}
	}
	return g_string_free(str, FALSE);
}

/* the core names its steps in English; say them in the user's language */
static const gchar *
wf_watch_page_step_message(WfJob *job)
{
	const gchar *step = wf_job_get_step(job);

	if (g_strcmp0(step, "read") == 0)
		return _("Reading the flash twice");
	if (g_strcmp0(step, "finish") == 0)
		return _("Saving the backup");
	return wf_job_get_message(job);
}

static void
wf_watch_page_job_notify_cb(WfJob *job, GParamSpec *pspec, gpointer user_data)
{
	WfWatchPage *self = WF_WATCH_PAGE(user_data);
	g_autofree gchar *text = NULL;

	gtk_progress_bar_set_fraction(self->progress_bar, wf_job_get_fraction(job));
	text = wf_watch_page_format_progress(wf_job_get_bytes_done(job),
					     wf_job_get_bytes_total(job),
					     wf_job_get_rate(job),
					     wf_watch_page_step_message(job));
	gtk_label_set_label(self->progress_label, text);
	if (wf_job_get_state(job) == WF_JOB_STATE_CANCELLING)
		gtk_label_set_label(self->progress_label, _("Stopping…"));
	gtk_widget_set_visible(GTK_WIDGET(self->progress_box), !wf_job_is_finished(job));
}

/**
 * wf_watch_page_set_job:
 * @job: (nullable): the job whose progress to show under the backup row
 */
void
wf_watch_page_set_job(WfWatchPage *self, WfJob *job)
{
	g_return_if_fail(WF_IS_WATCH_PAGE(self));

	if (self->job != NULL)
		g_signal_handlers_disconnect_by_data(self->job, self);
	g_set_object(&self->job, job);
	if (job == NULL) {
		gtk_widget_set_visible(GTK_WIDGET(self->progress_box), FALSE);
		return;
	}
	g_signal_connect(job, "notify", G_CALLBACK(wf_watch_page_job_notify_cb), self);
	wf_watch_page_job_notify_cb(job, NULL, self);
}

static void
wf_watch_page_dispose(GObject *object)
{
	WfWatchPage *self = WF_WATCH_PAGE(object);

	if (self->job != NULL) {
		g_signal_handlers_disconnect_by_data(self->job, self);
		g_clear_object(&self->job);
	}
	/* AdwBin keeps its own pointer to the template's root: drop it
	 * first, or its dispose unparents a widget that is already gone */
	adw_bin_set_child(ADW_BIN(self), NULL);
	gtk_widget_dispose_template(GTK_WIDGET(self), WF_TYPE_WATCH_PAGE);
	G_OBJECT_CLASS(wf_watch_page_parent_class)->dispose(object);
}

static void
wf_watch_page_class_init(WfWatchPageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = wf_watch_page_dispose;
	gtk_widget_class_set_template_from_resource(
		widget_class, "/io/github/wristflash/Wristflash/wf-watch-page.ui");
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, stack);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, waiting_status);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, virtual_button);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, connecting_status);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, firmware_value);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, model_value);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, model_row);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, retry_button);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, disconnect_button);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, listening_box);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, listening_spinner);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, listening_label);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, steps_list);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, watch_title);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, watch_subtitle);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, chip_value);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, flash_value);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, size_value);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, me_id_value);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, backup_row);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, backup_icon);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, backup_button);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, progress_box);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, progress_bar);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, progress_label);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, error_status);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, error_fix);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, error_details);
	gtk_widget_class_bind_template_child(widget_class, WfWatchPage, error_details_label);
}

static void
wf_watch_page_init(WfWatchPage *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	wf_a11y_fix_buttons(GTK_WIDGET(self));
	/* an ID broken over two lines must not gain a hyphen */
	{
		PangoAttrList *attrs = pango_attr_list_new();

		pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
		gtk_label_set_attributes(self->me_id_value, attrs);
		pango_attr_list_unref(attrs);
	}
	wf_watch_page_build_steps(self);
	wf_watch_page_show_waiting(self, FALSE);
}

GtkWidget *
wf_watch_page_new(void)
{
	return g_object_new(WF_TYPE_WATCH_PAGE, NULL);
}
