/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-wire-log.h"

#include <string.h>

/*
 * A wire log is every byte that crossed the link, in order, with the time it
 * crossed, as readable hex. It is what a bug report needs and what a developer
 * reads next to protocol.md. Format, one chunk per group of lines:
 *
 *   +   12.345678 >  A0                                               .
 *   +   12.345901 <  5F                                               _
 *   +   12.400000 #  read failed: timed out
 */

#define WF_WIRE_LOG_BYTES_PER_LINE 16

struct _WfWireLog {
	GObject parent_instance;
	GMutex mutex;
	GOutputStream *stream;
	gint64 start_us;
	gboolean failed;
};

G_DEFINE_FINAL_TYPE(WfWireLog, wf_wire_log, G_TYPE_OBJECT)

static void
wf_wire_log_finalize(GObject *object)
{
	WfWireLog *self = WF_WIRE_LOG(object);

	if (self->stream != NULL) {
		g_output_stream_flush(self->stream, NULL, NULL);
		g_output_stream_close(self->stream, NULL, NULL);
		g_object_unref(self->stream);
	}
	g_mutex_clear(&self->mutex);
	G_OBJECT_CLASS(wf_wire_log_parent_class)->finalize(object);
}

static void
wf_wire_log_class_init(WfWireLogClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_wire_log_finalize;
}

static void
wf_wire_log_init(WfWireLog *self)
{
	g_mutex_init(&self->mutex);
	self->start_us = g_get_monotonic_time();
}

/**
 * wf_wire_log_new_for_stream:
 * @stream: where to write the log
 */
WfWireLog *
wf_wire_log_new_for_stream(GOutputStream *stream)
{
	WfWireLog *self = g_object_new(WF_TYPE_WIRE_LOG, NULL);
	g_return_val_if_fail(G_IS_OUTPUT_STREAM(stream), NULL);
	self->stream = G_OUTPUT_STREAM(g_buffered_output_stream_new_sized(stream, 64 * 1024));
	return self;
}

/**
 * wf_wire_log_new_for_path:
 * @path: a file to create or replace
 * @error: (out): return location
 */
WfWireLog *
wf_wire_log_new_for_path(const gchar *path, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileOutputStream) stream = NULL;

	stream = g_file_replace(file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
	if (stream == NULL) {
		g_prefix_error(error, "cannot create wire log %s: ", path);
		return NULL;
	}
	return wf_wire_log_new_for_stream(G_OUTPUT_STREAM(stream));
}

static void
wf_wire_log_write_locked(WfWireLog *self, const gchar *text, gsize len)
{
	if (self->failed)
		return;
	/* a log that cannot be written must never break the transfer it logs */
	if (!g_output_stream_write_all(self->stream, text, len, NULL, NULL, NULL))
		self->failed = TRUE;
}

static void
wf_wire_log_append_line(GString *out, gdouble secs, gchar marker, const guint8 *buf, gsize len)
{
	g_string_append_printf(out, "+%12.6f %c ", secs, marker);
	for (gsize i = 0; i < WF_WIRE_LOG_BYTES_PER_LINE; i++) {
		if (i < len)
			g_string_append_printf(out, " %02X", buf[i]);
		else
			g_string_append(out, "   ");
	}
	g_string_append(out, "  ");
	for (gsize i = 0; i < len; i++)
		g_string_append_c(out, g_ascii_isprint(buf[i]) ? (gchar)buf[i] : '.');
	g_string_append_c(out, '\n');
}

/**
 * wf_wire_log_add:
 * @self: a #WfWireLog
 * @direction: which way the bytes went
 * @buf: the bytes
 * @bufsz: how many
 *
 * Records a chunk. Safe to call from any thread.
 */
void
wf_wire_log_add(WfWireLog *self, WfWireLogDirection direction, const guint8 *buf, gsize bufsz)
{
	g_autoptr(GString) out = g_string_new(NULL);
	gdouble secs;
	gchar marker = direction == WF_WIRE_LOG_DIRECTION_OUT ? '>' : '<';

	g_return_if_fail(WF_IS_WIRE_LOG(self));
	secs = (g_get_monotonic_time() - self->start_us) / 1e6;
	for (gsize off = 0; off < bufsz; off += WF_WIRE_LOG_BYTES_PER_LINE)
		wf_wire_log_append_line(
			out, secs, marker, buf + off, MIN(bufsz - off, WF_WIRE_LOG_BYTES_PER_LINE));
	g_mutex_lock(&self->mutex);
	wf_wire_log_write_locked(self, out->str, out->len);
	g_mutex_unlock(&self->mutex);
}

/**
 * wf_wire_log_note:
 * @self: a #WfWireLog
 * @format: printf-style text
 *
 * Records an event that is not bytes: a timeout, a reopen, a resync.
 */
void
wf_wire_log_note(WfWireLog *self, const gchar *format, ...)
{
	g_autofree gchar *text = NULL;
	g_autofree gchar *line = NULL;
	va_list args;

	g_return_if_fail(WF_IS_WIRE_LOG(self));
	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	line = g_strdup_printf(
		"+%12.6f #  %s\n", (g_get_monotonic_time() - self->start_us) / 1e6, text);
	g_mutex_lock(&self->mutex);
	wf_wire_log_write_locked(self, line, strlen(line));
	g_mutex_unlock(&self->mutex);
}

gboolean
wf_wire_log_flush(WfWireLog *self, GError **error)
{
	gboolean ok;

	g_return_val_if_fail(WF_IS_WIRE_LOG(self), FALSE);
	g_mutex_lock(&self->mutex);
	ok = g_output_stream_flush(self->stream, NULL, error);
	g_mutex_unlock(&self->mutex);
	return ok;
}
