/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-activity-log.h"

#include <sys/utsname.h>

/* a report with a whole 8 MiB transfer in hex would be ~40 MB: the tail
 * tells what went wrong */
#define WF_ACTIVITY_LOG_REPORT_WIRE_MAX (256 * 1024)

struct _WfActivityLog {
	GObject parent_instance;
	GPtrArray *entries; /* of WfActivityEntry */
	gchar *wire_log_path;
};

enum { SIGNAL_ADDED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

G_DEFINE_FINAL_TYPE(WfActivityLog, wf_activity_log, G_TYPE_OBJECT)

static void
wf_activity_entry_free(gpointer data)
{
	WfActivityEntry *entry = data;

	g_date_time_unref(entry->time);
	g_free(entry->text);
	g_free(entry);
}

static void
wf_activity_log_finalize(GObject *object)
{
	WfActivityLog *self = WF_ACTIVITY_LOG(object);

	g_ptr_array_unref(self->entries);
	g_free(self->wire_log_path);
	G_OBJECT_CLASS(wf_activity_log_parent_class)->finalize(object);
}

static void
wf_activity_log_class_init(WfActivityLogClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_activity_log_finalize;
	/**
	 * WfActivityLog::added:
	 * @index: the position of the new entry
	 */
	signals[SIGNAL_ADDED] = g_signal_new("added",
					     G_TYPE_FROM_CLASS(klass),
					     G_SIGNAL_RUN_LAST,
					     0,
					     NULL,
					     NULL,
					     NULL,
					     G_TYPE_NONE,
					     1,
					     G_TYPE_UINT);
}

static void
wf_activity_log_init(WfActivityLog *self)
{
	self->entries = g_ptr_array_new_with_free_func(wf_activity_entry_free);
}

WfActivityLog *
wf_activity_log_new(void)
{
	return g_object_new(WF_TYPE_ACTIVITY_LOG, NULL);
}

/**
 * wf_activity_log_add:
 * @self: a #WfActivityLog
 * @kind: how the entry is shown
 * @format: a translated, complete sentence
 */
void
wf_activity_log_add(WfActivityLog *self, WfActivityKind kind, const gchar *format, ...)
{
	WfActivityEntry *entry;
	va_list args;

	g_return_if_fail(WF_IS_ACTIVITY_LOG(self));
	g_return_if_fail(format != NULL);
	entry = g_new0(WfActivityEntry, 1);
	entry->time = g_date_time_new_now_local();
	entry->kind = kind;
	va_start(args, format);
	entry->text = g_strdup_vprintf(format, args);
	va_end(args);
	g_ptr_array_add(self->entries, entry);
	g_debug("activity: %s", entry->text);
	g_signal_emit(self, signals[SIGNAL_ADDED], 0, self->entries->len - 1);
}

guint
wf_activity_log_get_n_entries(WfActivityLog *self)
{
	g_return_val_if_fail(WF_IS_ACTIVITY_LOG(self), 0);
	return self->entries->len;
}

const WfActivityEntry *
wf_activity_log_get_entry(WfActivityLog *self, guint idx)
{
	g_return_val_if_fail(WF_IS_ACTIVITY_LOG(self), NULL);
	g_return_val_if_fail(idx < self->entries->len, NULL);
	return g_ptr_array_index(self->entries, idx);
}

/**
 * wf_activity_log_format_entry:
 *
 * Returns: "HH:MM:SS text", the way the report prints it
 */
gchar *
wf_activity_log_format_entry(const WfActivityEntry *entry)
{
	g_autofree gchar *stamp = NULL;

	g_return_val_if_fail(entry != NULL, NULL);
	stamp = g_date_time_format(entry->time, "%H:%M:%S");
	return g_strdup_printf("%s %s%s",
			       stamp,
			       entry->kind == WF_ACTIVITY_KIND_PROBLEM ? "[!] " : "",
			       entry->text);
}

gchar *
wf_activity_log_to_text(WfActivityLog *self)
{
	GString *str = g_string_new(NULL);

	g_return_val_if_fail(WF_IS_ACTIVITY_LOG(self), NULL);
	for (guint i = 0; i < self->entries->len; i++) {
		g_autofree gchar *line = wf_activity_log_format_entry(self->entries->pdata[i]);
		g_string_append_printf(str, "%s\n", line);
	}
	return g_string_free(str, FALSE);
}

/**
 * wf_activity_log_set_wire_log_path:
 * @path: (nullable): the file the session's wire log is written to
 */
void
wf_activity_log_set_wire_log_path(WfActivityLog *self, const gchar *path)
{
	g_return_if_fail(WF_IS_ACTIVITY_LOG(self));
	g_free(self->wire_log_path);
	self->wire_log_path = g_strdup(path);
}

const gchar *
wf_activity_log_get_wire_log_path(WfActivityLog *self)
{
	g_return_val_if_fail(WF_IS_ACTIVITY_LOG(self), NULL);
	return self->wire_log_path;
}

/**
 * wf_activity_log_read_wire_log_tail:
 * @max_bytes: at most this many bytes from the end, starting at a line
 *
 * Returns: (nullable): the end of the wire log, or %NULL if there is none yet
 */
gchar *
wf_activity_log_read_wire_log_tail(WfActivityLog *self, gsize max_bytes)
{
	g_autofree gchar *contents = NULL;
	gsize len = 0;
	const gchar *start;

	g_return_val_if_fail(WF_IS_ACTIVITY_LOG(self), NULL);
	if (self->wire_log_path == NULL)
		return NULL;
	/* the log may be large; this runs on user request only */
	if (!g_file_get_contents(self->wire_log_path, &contents, &len, NULL))
		return NULL;
	if (len <= max_bytes)
		return g_steal_pointer(&contents);
	start = contents + len - max_bytes;
	while (*start != '\0' && *start != '\n')
		start++;
	if (*start == '\n')
		start++;
	return g_strdup(start);
}

/**
 * wf_activity_log_build_report:
 * @extra: (nullable): more text for the report, such as the watch's identity
 *
 * Returns: a plain-text problem report: versions, host, the activity and the
 *   end of the wire log
 */
gchar *
wf_activity_log_build_report(WfActivityLog *self, const gchar *extra)
{
	GString *str = g_string_new(NULL);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *now_str = g_date_time_format_iso8601(now);
	g_autofree gchar *activity = NULL;
	g_autofree gchar *wire = NULL;
	struct utsname uts;

	g_return_val_if_fail(WF_IS_ACTIVITY_LOG(self), NULL);
	/* the report is for developers: headings stay in English */
	g_string_append_printf(str, "Wristflash %s report, %s\n", PACKAGE_VERSION, now_str);
	if (uname(&uts) == 0)
		g_string_append_printf(
			str, "Host: %s %s %s\n", uts.sysname, uts.release, uts.machine);
	g_string_append_printf(str,
			       "GLib: %u.%u.%u\n",
			       glib_major_version,
			       glib_minor_version,
			       glib_micro_version);
	if (extra != NULL)
		g_string_append_printf(str, "\n%s\n", extra);
	activity = wf_activity_log_to_text(self);
	g_string_append_printf(str, "\n== Activity ==\n%s", activity);
	wire = wf_activity_log_read_wire_log_tail(self, WF_ACTIVITY_LOG_REPORT_WIRE_MAX);
	g_string_append(str, "\n== Wire log (end) ==\n");
	g_string_append(str, wire != NULL ? wire : "(empty)\n");
	return g_string_free(str, FALSE);
}
